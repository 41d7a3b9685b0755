import Type, { type Static } from 'typebox';
import { AUTHOR_KINDS, CHAT_EVENT_KINDS, CONVERSATION_STATUSES, LIMITS, PROTOCOL_VERSION } from './constants.js';

const Id = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });
const visitorAuth = {
  protocol: Type.Literal(PROTOCOL_VERSION),
  siteKey: Id('Public site key.'),
  token: Type.String({ minLength: 1, maxLength: 2048, description: 'Visitor token from `POST /v1/visitor`.' }),
};
const strict = { additionalProperties: false } as const;

export const ChatEvent = Type.Object(
  {
    conversationId: Id('Conversation the event belongs to.'),
    seq: Type.Integer({ minimum: 1, description: 'Position in the conversation: 1, 2, 3… without gaps. The resume cursor.' }),
    kind: Type.Enum(CHAT_EVENT_KINDS, {
      description: '`message`; `handoff` (the bot passed the conversation to people); `read` (the author read up to `data.seq`); `status` (`data.status` changed); `email` (the visitor left an address for a reply). A `message` whose `data.askEmail` is true offers the visitor to leave an email (no one is available); `data.businessHours` then says when people are back.',
    }),
    author: Type.Object(
      {
        kind: Type.Enum(AUTHOR_KINDS),
        name: Type.Optional(Type.String({ maxLength: 128, description: 'Display name (agents, the bot).' })),
        avatarUrl: Type.Optional(Type.String({ maxLength: 2048 })),
      },
      { description: 'Who caused the event.' },
    ),
    clientId: Type.Optional(Id('The sender\'s idempotency key, echoed so a client can match its optimistic message.')),
    body: Type.Optional(Type.String({ maxLength: LIMITS.chatMessageChars, description: 'Message text. Plain text: clients MUST NOT render it as HTML.' })),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Kind-specific fields.' })),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { ...strict, $id: 'ChatEvent', description: 'One stored event of a conversation, as listed and as streamed.' },
);
export type ChatEvent = Static<typeof ChatEvent>;

export const Conversation = Type.Object(
  {
    id: Id('Conversation id.'),
    status: Type.Enum(CONVERSATION_STATUSES, { description: '`bot`, `pending` (waiting for a person), `open` (with a person), `closed`.' }),
    channel: Type.String({ description: '`web`, or the inbound channel it came from (`email`…).' }),
    lastSeq: Type.Integer({ description: 'Seq of its latest event.' }),
    createdAt: Type.String({ format: 'date-time' }),
    closedAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { ...strict, $id: 'Conversation', description: 'A conversation as the visitor sees it.' },
);
export type Conversation = Static<typeof Conversation>;

export const CreateConversationRequest = Type.Object(
  {
    ...visitorAuth,
    clientId: Id('Idempotency key: the same clientId creates one conversation, however often it is sent.'),
    body: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.chatMessageChars, description: 'First message, if any.' })),
    sessionId: Type.Optional(Id('Session of the visitor (links the conversation to its replay).')),
    page: Type.Optional(Type.String({ maxLength: 4096, description: 'URL the conversation started on.' })),
    locale: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { ...strict, $id: 'CreateConversationRequest', description: '`POST /v1/chat/conversations`.' },
);
export type CreateConversationRequest = Static<typeof CreateConversationRequest>;

export const SendMessageRequest = Type.Object(
  {
    ...visitorAuth,
    clientId: Id('Idempotency key of the message: a retry never posts it twice.'),
    body: Type.String({ minLength: 1, maxLength: LIMITS.chatMessageChars }),
  },
  { ...strict, $id: 'SendMessageRequest', description: '`POST /v1/chat/conversations/{id}/messages`.' },
);
export type SendMessageRequest = Static<typeof SendMessageRequest>;

export const ChatActionRequest = Type.Object(
  {
    ...visitorAuth,
    typing: Type.Optional(Type.Boolean({ description: '`typing`: whether the visitor is typing now.' })),
    seq: Type.Optional(Type.Integer({ minimum: 0, maximum: 999_999_999, description: '`read`: the visitor has read up to this seq.' })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 320, description: '`email`: where to reply when no one is available.' })),
  },
  { ...strict, $id: 'ChatActionRequest', description: '`POST /v1/chat/conversations/{id}/{typing|read|handoff|email}`.' },
);
export type ChatActionRequest = Static<typeof ChatActionRequest>;

export const ConversationList = Type.Object(
  {
    conversations: Type.Array(Conversation),
  },
  { ...strict, $id: 'ConversationList', description: '`GET /v1/chat/conversations`: the visitor\'s conversations, newest first.' },
);

export const ChatEventList = Type.Object(
  {
    events: Type.Array(ChatEvent),
  },
  { ...strict, $id: 'ChatEventList', description: '`GET /v1/chat/conversations/{id}/events?after=SEQ`: events after a seq, in order.' },
);

export const ChatPresence = Type.Object(
  {
    online: Type.Boolean({ description: 'Whether a person can answer now: an agent is online (not away, not offline).' }),
  },
  { ...strict, $id: 'ChatPresence', description: '`event: presence` of `GET /v1/chat/stream`: sent after `ready` and again whenever it changes; no `id`, never replayed.' },
);
export type ChatPresence = Static<typeof ChatPresence>;
