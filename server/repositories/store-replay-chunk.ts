import type { Queryable } from '../store/store.js';

export interface ReplayChunk {
  siteKey: string;
  sessionId: string;
  windowId: string;
  seq: number;
  /** Epoch ms of its first and last rrweb event. */
  first: number;
  last: number;
  anonymousId: string | undefined;
  /** The gzip as sent: how it is kept and served. */
  bytes: Buffer;
}

/** Stores a chunk once per (site, session, window, seq); false when it was stored already. */
export const storeReplayChunk = async (db: Queryable, c: ReplayChunk): Promise<boolean> =>
  (
    await db.query(
      `INSERT INTO replay_chunks (site_key, session_id, window_id, seq, first_ts, last_ts, anonymous_id, bytes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING 1`,
      [c.siteKey, c.sessionId, c.windowId, c.seq, c.first, c.last, c.anonymousId ?? null, c.bytes],
    )
  ).rows.length === 1;
