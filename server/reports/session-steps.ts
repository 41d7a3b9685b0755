import type { Queryable } from '../store/store.js';
import { rebuildPagesOf } from './session-pages.js';

/**
 * The tracked events automatic capture sends in bulk (every click, five web
 * vitals a page): half of the bench's events, and funnel steps only when a
 * funnel names one. Kept apart from the other tracks so a funnel that does
 * not name them never reads them. Friction clicks are not among them (every
 * funnel reads friction).
 */
export const AUTOCAPTURED = ['Element Clicked', 'Web Vital'] as const;

/**
 * The journey of each session kept beside it (`session_steps`, migrations 14
 * and 16), in three texts of JSON arrays joined by commas, in (time, id)
 * order per batch:
 * - `pages`: its page views, `[id, ms since epoch, path]`;
 * - `tracks`: its tracked events but the autocaptured ones, `[id, ms, name, path]`;
 * - `autocapture`: those (AUTOCAPTURED), in the tracks' form.
 * An entry whose anonymous id is not its session's has it last. Beside them
 * (migration 17) the session's visitor (`anonymous_id`), the time of the first
 * and last entry (`first_at`, `last_at`, ms) and whether any entry is another
 * visitor's (`guests`), so a customer funnel finds a visitor's journeys
 * without the sessions table and leaves out, unread, the sessions that cannot
 * hold a step of an attempt. Written by ingest in the batch's transaction, so it never
 * disagrees with the events table; the funnel reads a few thousand of these
 * rows instead of scanning a million events (bench 07). The same expressions
 * as migration 17's backfill.
 */
const AT = `(extract(epoch FROM e.timestamp) * 1000)::float8`;
const PATH = `to_json(coalesce(e.payload #>> '{context,page,path}', '/'))::text`;
const ANON = `CASE WHEN e.anonymous_id = s2.anonymous_id THEN '' ELSE ',' || to_json(e.anonymous_id)::text END`;
const PAGE = `'[' || e.id || ',' || ${AT} || ',' || ${PATH} || ${ANON} || ']'`;
const TRACK = `'[' || e.id || ',' || ${AT} || ',' || coalesce(to_json(e.name)::text, 'null') || ',' || ${PATH} || ${ANON} || ']'`;
const AUTO = `e.name IN (${AUTOCAPTURED.map((n) => `'${n}'`).join(', ')})`;
const agg = (entry: string, filter: string) => `coalesce(string_agg(${entry}, ',' ORDER BY e.timestamp, e.id) FILTER (WHERE ${filter}), '')`;
const STEPS_OF = (where: string) => `SELECT e.site_key, e.session_id, s2.anonymous_id, ${agg(PAGE, `e.type = 'page'`)}, ${agg(TRACK, `e.type = 'track' AND (${AUTO}) IS NOT TRUE`)}, ${agg(TRACK, `e.type = 'track' AND ${AUTO}`)},
       min(${AT}), max(${AT}), bool_or(e.anonymous_id <> s2.anonymous_id)
  FROM events e JOIN sessions s2 ON s2.site_key = e.site_key AND s2.session_id = e.session_id
 WHERE e.type IN ('page', 'track') AND ${where} GROUP BY 1, 2, 3`;
const COLUMNS = 'site_key, session_id, anonymous_id, pages, tracks, autocapture, first_at, last_at, guests';
const append = (c: string) => `${c} = concat_ws(',', nullif(s.${c}, ''), nullif(excluded.${c}, ''))`;
const BOUNDS = 'first_at = least(s.first_at, excluded.first_at), last_at = greatest(s.last_at, excluded.last_at), guests = s.guests OR excluded.guests';

/** One page view of a session's journey, as read back. */
export type PageEntry = [id: number, at: number, path: string, anonymousId?: string];
/** One tracked event of a session's journey, as read back. */
export type TrackEntry = [id: number, at: number, name: string | null, path: string, anonymousId?: string];

/** Appends the batch's newly stored events (by id) to their sessions' journeys, in the ingest transaction. */
export async function appendSessionSteps(tx: Queryable, siteKey: string, eventIds: string[]): Promise<void> {
  if (!eventIds.length) return;
  await tx.query(
    `INSERT INTO session_steps AS s (${COLUMNS}) ${STEPS_OF('e.site_key = $1 AND e.id = ANY($2::bigint[])')}
     ON CONFLICT (site_key, session_id) DO UPDATE SET ${append('pages')}, ${append('tracks')}, ${append('autocapture')}, ${BOUNDS}`,
    [siteKey, eventIds],
  );
}

/** Rebuilds every session's journey of a site from its events (what migration 17 did for existing data; the bench seeds events in SQL). */
export async function rebuildSessionSteps(db: Queryable, siteKey: string): Promise<void> {
  await db.query(
    `INSERT INTO session_steps AS s (${COLUMNS}) ${STEPS_OF('e.site_key = $1')}
     ON CONFLICT (site_key, session_id) DO UPDATE SET ${COLUMNS.split(', ').slice(3).map((c) => `${c} = excluded.${c}`).join(', ')}`,
    [siteKey],
  );
}

/**
 * Erasure: rebuilds, from the events left, the journeys of other people's
 * sessions that list an event of these anonymous ids (a guest's events carry
 * their id, ANON above). Their own sessions' journeys go with the sessions.
 */
export async function forgetInSessionSteps(tx: Queryable, siteKey: string, anonymousIds: string[]): Promise<void> {
  const { rows } = await tx.query<{ session_id: string }>(
    `SELECT session_id FROM session_steps WHERE site_key = $1
        AND EXISTS (SELECT 1 FROM unnest($2::text[]) a, to_json(a) j WHERE strpos(pages, j::text) > 0 OR strpos(tracks, j::text) > 0 OR strpos(autocapture, j::text) > 0)`,
    [siteKey, anonymousIds],
  );
  if (!rows.length) return;
  const sessions = rows.map((r) => r.session_id);
  await tx.query('DELETE FROM session_steps WHERE site_key = $1 AND session_id = ANY($2::text[])', [siteKey, sessions]);
  await tx.query(`INSERT INTO session_steps (${COLUMNS}) ${STEPS_OF('e.site_key = $1 AND e.session_id = ANY($2::text[])')}`, [siteKey, sessions]);
  // Their page views there, too (the struggle report's pages per session).
  await rebuildPagesOf(tx, siteKey, sessions);
}
