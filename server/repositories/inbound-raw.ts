import type { Queryable } from '../store/store.js';

/** The original bytes of an inbound channel message, by its conversation and the seq of its chat event. */
export const inboundRaw = async (db: Queryable, conversationId: string, seq: number): Promise<Buffer | undefined> => {
  const { rows } = await db.query<{ raw: Uint8Array | null }>(
    `SELECT raw FROM channel_messages WHERE conversation_id = $1 AND seq = $2 AND direction = 'in'`,
    [conversationId, seq],
  );
  const raw = rows[0]?.raw;
  return raw ? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
};
