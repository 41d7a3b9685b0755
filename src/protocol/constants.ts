/**
 * Protocol facts the browser needs at run time. Kept apart from the schemas so
 * that importing them never pulls TypeBox into the SDK bundle.
 */

/** Version of the wire protocol; sent as `protocol` in every request body. */
export const PROTOCOL_VERSION = 1;

/** Path prefix of every endpoint of this protocol version. */
export const API_PREFIX = '/v1';

/**
 * Default limits. A backend MAY raise them; the SDK keeps under the defaults so
 * that it works with any conforming backend.
 */
export const LIMITS = {
  /** Largest serialised event, in bytes (Segment uses the same figure). */
  eventBytes: 32 * 1024,
  /** Largest request body (after decompression) of a batch, in bytes. */
  batchBytes: 500 * 1024,
  /** Largest replay chunk, in bytes (compressed, as sent). */
  replayChunkBytes: 1024 * 1024,
  /** Largest number of items in one batch. */
  batchItems: 500,
  /** Longest chat message, in characters. */
  chatMessageChars: 4000,
  /** Deepest nesting of objects and arrays in a request body (the body itself is level 1). */
  jsonDepth: 64,
  /** Largest chat attachment (an image or a PDF), in bytes: 10 MiB (also `ATTACHMENT_BYTES`). */
  attachmentBytes: 10 * 1024 * 1024,
} as const;

/** GA4's default channel groups, the values of `Touch.channel`. */
export const CHANNELS = [
  'Direct',
  'Cross-network',
  'Paid Shopping',
  'Paid Search',
  'Paid Social',
  'Paid Video',
  'Paid Other',
  'Display',
  'Organic Shopping',
  'Organic Social',
  'Organic Video',
  'Organic Search',
  'Email',
  'Affiliates',
  'Referral',
  'Audio',
  'SMS',
  'Mobile Push Notifications',
  'Unassigned',
] as const;
export type Channel = (typeof CHANNELS)[number];

/** The standard consent categories. Sites may add their own. */
export const CONSENT_CATEGORIES = ['necessary', 'functional', 'analytics', 'replay', 'marketing'] as const;
export type ConsentCategory = (typeof CONSENT_CATEGORIES)[number];

/** How a consent decision was made. */
export const CONSENT_METHODS = ['banner', 'api', 'gpc', 'default', 'carried'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** Who wrote a chat event. */
export const AUTHOR_KINDS = ['visitor', 'agent', 'bot', 'system'] as const;
export type AuthorKind = (typeof AUTHOR_KINDS)[number];

/** Life of a conversation: with the bot, waiting for a person, with a person, over. */
export const CONVERSATION_STATUSES = ['bot', 'pending', 'open', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** Kinds of stored chat events (typing is never stored: it is not part of history). */
export const CHAT_EVENT_KINDS = ['message', 'handoff', 'read', 'status', 'email'] as const;
export type ChatEventKind = (typeof CHAT_EVENT_KINDS)[number];

/**
 * Survey question types. Each scored type has one fixed scale (docs/surveys.md):
 * `ces` 1–7 (CES 2.0 agreement), `csat` 1–5, `nps` 0–10, `cli_buy` / `cli_try`
 * 0–10 (with `nps`, the Customer Loyalty Index), `miss` very/somewhat/not.
 */
export const QUESTION_TYPES = ['ces', 'csat', 'nps', 'cli_buy', 'cli_try', 'miss', 'single', 'multi', 'text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

