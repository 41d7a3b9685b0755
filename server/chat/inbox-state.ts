/**
 * The agent's view of a conversation (docs/console.md#the-inbox-workflow):
 * `bot` (the bot has it), `open` (agents' work), `pending` (waiting for the
 * customer), `snoozed` (until a time), `resolved`. The visitor sees the wire's
 * status instead (bot / pending / open / closed): a hold changes nothing they
 * see, resolving closes the chat, and their next message reopens it either way.
 */
export const INBOX_STATES = ['bot', 'open', 'pending', 'snoozed', 'resolved'] as const;
export type InboxState = (typeof INBOX_STATES)[number];

/** The state as SQL over a conversations row `c` at the instant `now` (a parameter): a snooze past its time is open, even before the sweep wakes it. */
export const stateSql = (c: string, now: string): string =>
  `CASE WHEN ${c}.status = 'closed' THEN 'resolved' WHEN ${c}.status = 'bot' THEN 'bot'
        WHEN ${c}.hold = 'snoozed' AND ${c}.snoozed_until > ${now} THEN 'snoozed' WHEN ${c}.hold = 'customer' THEN 'pending' ELSE 'open' END`;

/** The views of the inbox: assigned to me, to nobody, everything, my teams' (or one team's). */
export const INBOX_VIEWS = ['mine', 'unassigned', 'all', 'team'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];
