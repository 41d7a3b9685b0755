import type { Queryable } from '../store/store.js';
import { FRICTION_IN } from './friction.js';

/**
 * The struggle report's summaries (migration 15), written by ingest in the
 * batch's transaction like session_steps, so they never disagree with events:
 * - `session_pages`: each (session, page path) viewed, with its first and last
 *   view — the report counts a page's sessions from these rows instead of
 *   every page view (the events' JSON paths were most of its time, bench 07);
 *   gone with its session (erasure, retention).
 * - `struggle_signals`: the events that are struggle signals (friction clicks,
 *   poor LCP/INP), a narrow copy keyed by event id — gone with its event.
 * The same expressions as migration 15's backfill.
 */
const PATH = `coalesce(e.payload #>> '{context,page,path}', '/')`;
const PAGES_OF = (where: string) => `SELECT e.site_key, e.session_id, ${PATH}, min(e.timestamp), max(e.timestamp)
  FROM events e JOIN sessions s ON s.site_key = e.site_key AND s.session_id = e.session_id WHERE e.type = 'page' AND ${where} GROUP BY 1, 2, 3`;
/** A struggle signal: one of the report's friction clicks, or a web vital rated poor for loading (LCP) or input (INP). */
const SIGNAL_EVENT = `e.type = 'track' AND e.session_id IS NOT NULL
  AND (e.name IN ${FRICTION_IN} OR (e.name = 'Web Vital' AND e.payload #>> '{properties,rating}' = 'poor' AND e.payload #>> '{properties,name}' IN ('LCP', 'INP')))`;
const SIGNALS_OF = (where: string) => `SELECT e.id, e.site_key, e.session_id, ${PATH}, e.name, e.timestamp FROM events e WHERE ${SIGNAL_EVENT} AND ${where}`;
const UPSERT = `ON CONFLICT (site_key, session_id, path) DO UPDATE SET first_at = least(p.first_at, excluded.first_at), last_at = greatest(p.last_at, excluded.last_at)`;

/** Adds the batch's newly stored events (by id) to the summaries, in the ingest transaction (after the sessions are recorded). */
export async function appendSessionPages(tx: Queryable, siteKey: string, eventIds: string[]): Promise<void> {
  if (!eventIds.length) return;
  const where = 'e.site_key = $1 AND e.id = ANY($2::bigint[])';
  await tx.query(`INSERT INTO session_pages AS p (site_key, session_id, path, first_at, last_at) ${PAGES_OF(where)} ${UPSERT}`, [siteKey, eventIds]);
  await tx.query(`INSERT INTO struggle_signals (event_id, site_key, session_id, path, name, timestamp) ${SIGNALS_OF(where)} ON CONFLICT DO NOTHING`, [siteKey, eventIds]);
}

/** Rebuilds a site's summaries from its events (the bench seeds events in SQL, past ingest). */
export async function rebuildSessionPages(db: Queryable, siteKey: string): Promise<void> {
  await db.query(`INSERT INTO session_pages AS p (site_key, session_id, path, first_at, last_at) ${PAGES_OF('e.site_key = $1')} ${UPSERT}`, [siteKey]);
  await db.query(`INSERT INTO struggle_signals (event_id, site_key, session_id, path, name, timestamp) ${SIGNALS_OF('e.site_key = $1')} ON CONFLICT DO NOTHING`, [siteKey]);
}

/** Erasure: these sessions lost events (another person's, in them); their page rows are rebuilt from the events left. */
export async function rebuildPagesOf(tx: Queryable, siteKey: string, sessionIds: string[]): Promise<void> {
  await tx.query('DELETE FROM session_pages WHERE site_key = $1 AND session_id = ANY($2::text[])', [siteKey, sessionIds]);
  await tx.query(`INSERT INTO session_pages AS p (site_key, session_id, path, first_at, last_at) ${PAGES_OF('e.site_key = $1 AND e.session_id = ANY($2::text[])')} ${UPSERT}`, [siteKey, sessionIds]);
}
