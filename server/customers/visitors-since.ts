import type { Queryable } from '../store/store.js';

/** Visitors and sessions active since `since` (ISO): today's figures, and who is on the site now. */
export async function visitorsSince(db: Queryable, siteKey: string, since: string): Promise<{ visitors: number; sessions: number }> {
  const { rows } = await db.query<{ visitors: string; sessions: string }>(
    'SELECT count(DISTINCT anonymous_id) AS visitors, count(*) AS sessions FROM sessions WHERE site_key = $1 AND last_seen_at >= $2',
    [siteKey, since],
  );
  return { visitors: Number(rows[0]?.visitors ?? 0), sessions: Number(rows[0]?.sessions ?? 0) };
}
