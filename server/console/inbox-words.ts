import type { ConversationSummary } from './api.js';
import { clockTime, when } from './format-time.js';

/** The inbox's states in words (never the raw value). */
export const STATE_WORDS: Record<ConversationSummary['state'], string> = {
  bot: 'With the bot',
  open: 'Open',
  pending: 'Waiting for the customer',
  snoozed: 'Snoozed',
  resolved: 'Resolved',
};

/** A state as the header says it: a snooze with its time. */
export const stateLine = (c: Pick<ConversationSummary, 'state' | 'snoozedUntil'>): string =>
  c.state === 'snoozed' && c.snoozedUntil ? `Snoozed until ${when(c.snoozedUntil)}` : STATE_WORDS[c.state];

/** Who wrote a line of the transcript, in words: "Customer", the agent's or bot's name, "Touchpoint" for the system. */
export const authorWords = (a: { kind: string; name?: string | undefined }): string =>
  a.kind === 'visitor' ? (a.name ?? 'Customer') : a.kind === 'bot' ? (a.name ?? 'Bot') : a.kind === 'system' ? 'Touchpoint' : (a.name ?? 'Agent');

/** A message's time in the agent's time zone (Intl): time of day for today's, date and time before. */
export const messageTime = (iso: string, now = Date.now()): string => (new Date(iso).toDateString() === new Date(now).toDateString() ? clockTime(iso) : when(iso));

/**
 * A survey answer's value as words: a number or text as is, a list joined,
 * an object's fields "key: value" — leaving out the ones skipped (null,
 * empty), so a skipped "why" reads "skipped", never "why: null".
 */
export const answerWords = (v: unknown): string => {
  if (v === null || v === undefined || v === '') return 'skipped';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(answerWords).join(', ');
  if (typeof v === 'object') {
    return (
      Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== null && x !== undefined && x !== '')
        .map(([k, x]) => `${k}: ${answerWords(x)}`)
        .join(', ') || 'skipped'
    );
  }
  return 'skipped';
};

/** Seconds as an agent reads a duration: "45 s", "12 min", "3.5 h". */
export const seconds = (s: number | null): string =>
  s === null ? '—' : s < 60 ? `${Math.round(s)} s` : s < 3600 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
