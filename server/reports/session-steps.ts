import type { Queryable } from '../store/store.js';
import { rebuildPagesOf } from './session-pages.js';

/**
 * The journey of each session kept beside it (`session_steps`, migration 14):
 * its page views and tracked events, one JSON array per event,
 * `[id, ms since epoch, type, name, path, anonymous id if not the session's]`,
 * joined by commas in (time, id) order per batch. Written by ingest in the
 * batch's transaction, so it never disagrees with the events table; the
 * funnel reads a few thousand of these rows instead of scanning a million
 * events (bench 07). The same expression as migration 14's backfill.
 */
const ENTRY = `json_build_array(e.id, (extract(epoch FROM e.timestamp) * 1000)::float8, e.type, e.name,
  coalesce(e.payload #>> '{context,page,path}', '/'), nullif(e.anonymous_id, s2.anonymous_id))::text`;
const STEPS_OF = (where: string) => `SELECT e.site_key, e.session_id, string_agg(${ENTRY}, ',' ORDER BY e.timestamp, e.id)
  FROM events e JOIN sessions s2 ON s2.site_key = e.site_key AND s2.session_id = e.session_id
 WHERE e.type IN ('page', 'track') AND ${where} GROUP BY 1, 2`;

/** One event of a session's journey, as read back. */
export type StepEntry = [id: number, at: number, type: string, name: string | null, path: string, anonymousId: string | null];

/** Appends the batch's newly stored events (by id) to their sessions' journeys, in the ingest transaction. */
export async function appendSessionSteps(tx: Queryable, siteKey: string, eventIds: string[]): Promise<void> {
  if (!eventIds.length) return;
  await tx.query(
    `INSERT INTO session_steps AS s (site_key, session_id, steps) ${STEPS_OF('e.site_key = $1 AND e.id = ANY($2::bigint[])')}
     ON CONFLICT (site_key, session_id) DO UPDATE SET steps = s.steps || ',' || excluded.steps`,
    [siteKey, eventIds],
  );
}

/** Rebuilds every session's journey of a site from its events (what migration 14 did for existing data; the bench seeds events in SQL). */
export async function rebuildSessionSteps(db: Queryable, siteKey: string): Promise<void> {
  await db.query(
    `INSERT INTO session_steps AS s (site_key, session_id, steps) ${STEPS_OF('e.site_key = $1')}
     ON CONFLICT (site_key, session_id) DO UPDATE SET steps = excluded.steps`,
    [siteKey],
  );
}

/**
 * Erasure: rebuilds, from the events left, the journeys of other people's
 * sessions that list an event of these anonymous ids (a guest's events carry
 * their id, ENTRY above). Their own sessions' journeys go with the sessions.
 */
export async function forgetInSessionSteps(tx: Queryable, siteKey: string, anonymousIds: string[]): Promise<void> {
  const { rows } = await tx.query<{ session_id: string }>(
    `SELECT session_id FROM session_steps WHERE site_key = $1 AND EXISTS (SELECT 1 FROM unnest($2::text[]) a WHERE strpos(steps, to_json(a)::text) > 0)`,
    [siteKey, anonymousIds],
  );
  if (!rows.length) return;
  const sessions = rows.map((r) => r.session_id);
  await tx.query('DELETE FROM session_steps WHERE site_key = $1 AND session_id = ANY($2::text[])', [siteKey, sessions]);
  await tx.query(`INSERT INTO session_steps (site_key, session_id, steps) ${STEPS_OF('e.site_key = $1 AND e.session_id = ANY($2::text[])')}`, [siteKey, sessions]);
  // Their page views there, too (the struggle report's pages per session).
  await rebuildPagesOf(tx, siteKey, sessions);
}
