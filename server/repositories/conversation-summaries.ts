import Type, { type Static } from 'typebox';
import { Nullable } from '../lib/nullable.js';
import { CONVERSATION_STATUSES } from 'touchpoint/protocol';
import type { Queryable } from '../store/store.js';
import { isoUtc } from '../store/iso-utc.js';

/** One row of the console's inbox: the response schema, the SQL aliases and the console's type in one place. */
export const ConversationSummary = Type.Object({
  id: Type.String(),
  siteKey: Type.String(),
  status: Type.Enum(CONVERSATION_STATUSES),
  channel: Type.String(),
  anonymousId: Type.String(),
  userId: Nullable(Type.String()),
  visitorEmail: Nullable(Type.String()),
  sessionId: Nullable(Type.String()),
  page: Nullable(Type.String()),
  lastSeq: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
  lastMessage: Nullable(Type.String()),
});
export type ConversationSummary = Static<typeof ConversationSummary>;

/** The inbox: the 200 conversations updated last, of one status or all, each with its last message. */
export const conversationSummaries = async (db: Queryable, status: string | undefined): Promise<ConversationSummary[]> =>
  (
    await db.query<ConversationSummary>(
      `SELECT c.id, c.site_key AS "siteKey", c.status, c.channel, c.anonymous_id AS "anonymousId", c.user_id AS "userId", c.visitor_email AS "visitorEmail",
              c.session_id AS "sessionId", c.page, c.last_seq AS "lastSeq",
              ${isoUtc('c.updated_at')} AS "updatedAt",
              (SELECT body FROM chat_events e WHERE e.conversation_id = c.id AND e.kind = 'message' ORDER BY seq DESC LIMIT 1) AS "lastMessage"
         FROM conversations c
        WHERE ($1::text IS NULL OR c.status = $1)
        ORDER BY c.updated_at DESC LIMIT 200`,
      [status ?? null],
    )
  ).rows;
