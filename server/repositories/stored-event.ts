import type { StoredEvent } from 'touchpoint/protocol';
import type { Queryable } from '../store/store.js';
import { isoUtc } from '../store/iso-utc.js';

/** One event as stored, for the admin read API (docs/protocol.md §11). */
export async function storedEvent(db: Queryable, siteKey: string, messageId: string): Promise<StoredEvent | undefined> {
  const { rows } = await db.query<{ type: string; verified: boolean; payload: Record<string, unknown>; ts: string; ots: string; rat: string }>(
    `SELECT type, verified, payload,
            ${isoUtc('timestamp')} AS ts,
            ${isoUtc('original_timestamp')} AS ots,
            ${isoUtc('received_at')} AS rat
       FROM events WHERE site_key = $1 AND message_id = $2`,
    [siteKey, messageId],
  );
  const r = rows[0];
  return r && { messageId, type: r.type, timestamp: r.ts, originalTimestamp: r.ots, receivedAt: r.rat, verified: r.verified, event: r.payload };
}
