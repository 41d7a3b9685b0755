import type { Queryable } from '../store/store.js';

/**
 * Dead letters back to the queue with a fresh budget of attempts: those of
 * `ids`, or all of the site's. `next_at` is the worker's lease clock (real
 * time, like the worker's own queries), not a recorded fact. Returns how many.
 */
export const retryDeadDeliveries = async (db: Queryable, siteKey: string, ids: string[] | undefined): Promise<number> =>
  (
    await db.query(
      `UPDATE deliveries SET status = 'pending', attempts = 0, next_at = now() WHERE site_key = $1 AND status = 'dead' AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[])) RETURNING id`,
      [siteKey, ids ?? null],
    )
  ).rows.length;
