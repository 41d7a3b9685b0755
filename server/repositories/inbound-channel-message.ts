import type { Queryable } from '../store/store.js';

/** One customer message from a channel, by the platform's own id (Message-ID, mid, wamid). */
export interface InboundKey {
  siteKey: string;
  channel: string;
  messageId: string;
}

/**
 * Claims the platform's id for an inbound message: true the first time, false
 * when it was delivered before (the caller then changes nothing). Its
 * conversation and seq are filled in by `linkInbound` in the same transaction.
 */
export const claimInbound = async (
  tx: Queryable,
  k: InboundKey,
  m: { accountId: string; meta?: Record<string, unknown> | undefined; raw?: Buffer | undefined; sentAt: string | null; at: string },
): Promise<boolean> =>
  (
    await tx.query(
      `INSERT INTO channel_messages (site_key, channel, external_id, direction, account_id, meta, raw, sent_at, created_at)
       VALUES ($1, $2, $3, 'in', $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING 1`,
      [k.siteKey, k.channel, k.messageId, m.accountId, m.meta ? JSON.stringify(m.meta) : null, m.raw ?? null, m.sentAt, m.at],
    )
  ).rows.length === 1;

/** The conversation a message claimed before went into. */
export const inboundConversationId = async (tx: Queryable, k: InboundKey): Promise<string | undefined> =>
  (await tx.query<{ conversation_id: string }>('SELECT conversation_id FROM channel_messages WHERE site_key = $1 AND channel = $2 AND external_id = $3', [k.siteKey, k.channel, k.messageId])).rows[0]
    ?.conversation_id;

/** Where the claimed message was stored: its conversation and event seq. */
export const linkInbound = async (tx: Queryable, k: InboundKey, conversationId: string, seq: number): Promise<void> => {
  await tx.query('UPDATE channel_messages SET conversation_id = $4, seq = $5 WHERE site_key = $1 AND channel = $2 AND external_id = $3', [k.siteKey, k.channel, k.messageId, conversationId, seq]);
};
