import { randomUUID } from 'node:crypto';
import Type, { type Static } from 'typebox';
import { Nullable } from '../lib/nullable.js';
import { CONVERSATION_STATUSES, type AuthorKind, type ChatEventKind, type ConversationStatus, type ChatEvent, type Conversation } from 'touchpoint/protocol';
import type { Queryable } from '../store/store.js';
import { isoUtc } from '../store/iso-utc.js';

/** A conversation as stored (the agent API answers it as is: docs/console.md). */
export const ConversationRow = Type.Object({
  id: Type.String(),
  site_key: Type.String(),
  anonymous_id: Type.String(),
  user_id: Nullable(Type.String()),
  channel: Type.String(),
  status: Type.Enum(CONVERSATION_STATUSES),
  last_seq: Type.Integer(),
  session_id: Nullable(Type.String()),
  page: Nullable(Type.String()),
  visitor_email: Nullable(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
  closed_at: Nullable(Type.String({ format: 'date-time' })),
  /** The agent's workflow (docs/console.md#the-inbox-workflow): on hold for the customer or snoozed, assignee, team, labels, the first-response clock. */
  hold: Nullable(Type.Union([Type.Literal('customer'), Type.Literal('snoozed')])),
  snoozed_until: Nullable(Type.String({ format: 'date-time' })),
  assignee_id: Nullable(Type.String()),
  team_id: Nullable(Type.String()),
  labels: Type.Array(Type.String()),
  waiting_since: Nullable(Type.String({ format: 'date-time' })),
  first_response_at: Nullable(Type.String({ format: 'date-time' })),
});
export type ConversationRow = Static<typeof ConversationRow>;

interface EventRow {
  conversation_id: string;
  seq: number;
  kind: ChatEventKind;
  author_kind: AuthorKind;
  author_name: string | null;
  client_id: string | null;
  body: string | null;
  data: Record<string, unknown> | null;
  created_at: string;
}

const CONV_COLUMNS = `id, site_key, anonymous_id, user_id, channel, status, last_seq, session_id, page, visitor_email,
  ${isoUtc('created_at')} AS created_at, ${isoUtc('closed_at')} AS closed_at,
  hold, ${isoUtc('snoozed_until')} AS snoozed_until, assignee_id, team_id, labels, ${isoUtc('waiting_since')} AS waiting_since, ${isoUtc('first_response_at')} AS first_response_at`;
const EVENT_COLUMNS = `conversation_id, seq, kind, author_kind, author_name, client_id, body, data, ${isoUtc('created_at')} AS created_at`;

export const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  status: r.status,
  channel: r.channel,
  lastSeq: Number(r.last_seq),
  createdAt: r.created_at,
  ...(r.closed_at ? { closedAt: r.closed_at } : {}),
});

const toEvent = (r: EventRow): ChatEvent => ({
  conversationId: r.conversation_id,
  seq: Number(r.seq),
  kind: r.kind,
  author: { kind: r.author_kind, ...(r.author_name ? { name: r.author_name } : {}) },
  ...(r.client_id ? { clientId: r.client_id } : {}),
  ...(r.body !== null ? { body: r.body } : {}),
  ...(r.data ? { data: r.data } : {}),
  createdAt: r.created_at,
});

export interface Visitor {
  siteKey: string;
  anonymousId: string;
  /** Verified user id (from a visitor token with a valid userHash). */
  userId?: string | undefined;
}

/** Who may see a conversation: its anonymous visitor, or the verified user it belongs to. */
export const visibleTo = (c: Pick<ConversationRow, 'site_key' | 'anonymous_id' | 'user_id'>, v: Visitor): boolean =>
  c.site_key === v.siteKey && (c.anonymous_id === v.anonymousId || (!!v.userId && c.user_id === v.userId));

export const getConversation = async (db: Queryable, id: string): Promise<ConversationRow | undefined> =>
  (await db.query<ConversationRow>(`SELECT ${CONV_COLUMNS} FROM conversations WHERE id = $1`, [id])).rows[0];

/**
 * A conversation's status now. `lock`: FOR UPDATE, inside the transaction
 * that changes it — the caller's copy may be stale, and two writers must not
 * both act on the old status.
 */
export const statusOf = async (tx: Queryable, id: string, lock = true): Promise<ConversationStatus> =>
  (await tx.query<{ status: ConversationStatus }>(`SELECT status FROM conversations WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id])).rows[0]!.status;

/** The address the visitor left for a reply (or the e-mail channel's sender). */
export const setVisitorEmail = async (tx: Queryable, id: string, email: string): Promise<void> => {
  await tx.query('UPDATE conversations SET visitor_email = $2 WHERE id = $1', [id, email]);
};

export const conversationsOf = async (db: Queryable, v: Visitor, limit = 20): Promise<ConversationRow[]> =>
  (
    await db.query<ConversationRow>(
      `SELECT ${CONV_COLUMNS} FROM conversations
        WHERE site_key = $1 AND (anonymous_id = $2 OR ($3::text IS NOT NULL AND user_id = $3))
        ORDER BY created_at DESC LIMIT $4`,
      [v.siteKey, v.anonymousId, v.userId ?? null, limit],
    )
  ).rows;

/** Creates a conversation once per (site, clientId); returns it and whether it is new. */
export const createConversation = async (
  tx: Queryable,
  v: Visitor,
  o: { clientId: string; channel?: string; sessionId?: string | undefined; page?: string | undefined; locale?: string | undefined; at: string },
): Promise<{ conversation: ConversationRow; created: boolean }> => {
  const id = randomUUID();
  const ins = await tx.query<{ id: string }>(
    `INSERT INTO conversations (id, site_key, anonymous_id, user_id, client_id, channel, session_id, page, locale, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) ON CONFLICT (site_key, client_id) DO NOTHING RETURNING id`,
    [id, v.siteKey, v.anonymousId, v.userId ?? null, o.clientId, o.channel ?? 'web', o.sessionId ?? null, o.page ?? null, o.locale ?? null, o.at],
  );
  const row = (await tx.query<ConversationRow>(`SELECT ${CONV_COLUMNS} FROM conversations WHERE site_key = $1 AND client_id = $2`, [v.siteKey, o.clientId])).rows[0]!;
  return { conversation: row, created: ins.rows.length === 1 };
};

export interface NewEvent {
  kind: ChatEventKind;
  author: { kind: AuthorKind; name?: string | undefined };
  clientId?: string | undefined;
  body?: string | undefined;
  data?: Record<string, unknown> | undefined;
  /** When it happened, from the server's clock (lib/clock.ts). */
  at: string;
}

/**
 * Appends an event with the next seq of its conversation. The seq comes from
 * an UPDATE of the conversation row, which locks it until commit: two writers
 * on any instances are serialised, so commit order is seq order and a reader
 * that has seen seq n has seen everything before it. A repeated clientId
 * returns the event already stored.
 */
export const appendEvent = async (tx: Queryable, conversationId: string, e: NewEvent): Promise<{ event: ChatEvent; created: boolean }> => {
  if (e.clientId) {
    const dup = await tx.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM chat_events WHERE conversation_id = $1 AND client_id = $2`, [conversationId, e.clientId]);
    if (dup.rows[0]) return { event: toEvent(dup.rows[0]), created: false };
  }
  const { rows } = await tx.query<{ last_seq: number }>('UPDATE conversations SET last_seq = last_seq + 1, updated_at = $2 WHERE id = $1 RETURNING last_seq', [conversationId, e.at]);
  const seq = Number(rows[0]!.last_seq);
  const ins = await tx.query<EventRow>(
    `INSERT INTO chat_events (conversation_id, seq, kind, author_kind, author_name, client_id, body, data, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${EVENT_COLUMNS}`,
    [conversationId, seq, e.kind, e.author.kind, e.author.name ?? null, e.clientId ?? null, e.body ?? null, e.data ? JSON.stringify(e.data) : null, e.at],
  );
  return { event: toEvent(ins.rows[0]!), created: true };
};

/** A change of the visitor-visible status; it ends any hold (a resolved or reopened conversation is nobody's snooze). */
export const setStatus = async (tx: Queryable, conversationId: string, status: ConversationStatus, author: NewEvent['author'], at: string): Promise<ChatEvent> => {
  await tx.query(`UPDATE conversations SET status = $2, closed_at = CASE WHEN $2 = 'closed' THEN $3::timestamptz ELSE NULL END, hold = NULL, snoozed_until = NULL WHERE id = $1`, [conversationId, status, at]);
  return (await appendEvent(tx, conversationId, { kind: 'status', author, data: { status }, at })).event;
};

/** Whether the conversation holds an event sent under one of these idempotency keys (`clientId`). */
export const hasEventFrom = async (db: Queryable, conversationId: string, clientIds: string[]): Promise<boolean> =>
  (await db.query('SELECT 1 FROM chat_events WHERE conversation_id = $1 AND client_id = ANY($2::text[]) LIMIT 1', [conversationId, clientIds])).rows.length > 0;

export const eventsAfter = async (db: Queryable, conversationId: string, after: number, limit = 500): Promise<ChatEvent[]> =>
  (await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM chat_events WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [conversationId, after, limit])).rows.map(toEvent);
