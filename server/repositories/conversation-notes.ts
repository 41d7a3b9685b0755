import Type, { type Static } from 'typebox';
import type { Queryable } from '../store/store.js';
import { isoUtc } from '../store/iso-utc.js';

/** A private note: agents only. `afterSeq` places it in the transcript after that event. */
export const ConversationNote = Type.Object({
  id: Type.Integer(),
  conversationId: Type.String(),
  agentId: Type.String(),
  authorName: Type.String(),
  clientId: Type.String(),
  body: Type.String(),
  afterSeq: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
});
export type ConversationNote = Static<typeof ConversationNote>;

const COLUMNS = `id::int AS id, conversation_id AS "conversationId", agent_id AS "agentId", author_name AS "authorName", client_id AS "clientId", body,
  after_seq AS "afterSeq", ${isoUtc('created_at')} AS "createdAt"`;

/** Writes a note once per clientId (a retried request finds the one stored). */
export const addNote = async (tx: Queryable, n: { conversationId: string; agentId: string; authorName: string; clientId: string; body: string; at: string }): Promise<{ note: ConversationNote; created: boolean }> => {
  const ins = await tx.query<ConversationNote>(
    `INSERT INTO conversation_notes (conversation_id, agent_id, author_name, client_id, body, after_seq, created_at)
     SELECT $1, $2, $3, $4, $5, last_seq, $6 FROM conversations WHERE id = $1
     ON CONFLICT (conversation_id, client_id) DO NOTHING RETURNING ${COLUMNS}`,
    [n.conversationId, n.agentId, n.authorName, n.clientId, n.body, n.at],
  );
  if (ins.rows[0]) return { note: ins.rows[0], created: true };
  return { note: (await tx.query<ConversationNote>(`SELECT ${COLUMNS} FROM conversation_notes WHERE conversation_id = $1 AND client_id = $2`, [n.conversationId, n.clientId])).rows[0]!, created: false };
};

export const notesOf = async (db: Queryable, conversationId: string): Promise<ConversationNote[]> =>
  (await db.query<ConversationNote>(`SELECT ${COLUMNS} FROM conversation_notes WHERE conversation_id = $1 ORDER BY id`, [conversationId])).rows;

export const noteById = async (db: Queryable, id: number): Promise<ConversationNote | undefined> =>
  (await db.query<ConversationNote>(`SELECT ${COLUMNS} FROM conversation_notes WHERE id = $1`, [id])).rows[0];
