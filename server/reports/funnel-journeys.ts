import type { Queryable } from '../store/store.js';
import { likeOf } from './funnel-steps.js';
import type { StepEntry } from './session-steps.js';

/** A candidate event of a funnel unit. */
export interface JourneyRow {
  id: number;
  at: number;
  type: string;
  name: string | null;
  path: string;
  sessionId: string | null;
}

/** A session read for a funnel: its entry touch and device, and its friction events in (time, id) order. */
export interface JourneySession {
  firstChannel: string | null;
  lastChannel: string | null;
  userAgent: string | null;
  friction: { at: number; id: number; name: string; path: string }[];
}

type Step = { page: string } | { event: string };
const PATH = `coalesce(e.payload #>> '{context,page,path}', '/')`;
const AT = `(extract(epoch FROM e.timestamp) * 1000)::float8`;
/** A customer: the anonymous id's latest verified user, else the anonymous id ($1 is the site). */
const unitOf = (anon: string) =>
  `coalesce((SELECT 'u:' || i.user_id FROM identities i WHERE i.site_key = $1 AND i.anonymous_id = ${anon} AND i.verified ORDER BY i.linked_at DESC LIMIT 1), 'a:' || ${anon})`;

/**
 * The events a funnel needs, per unit, without scanning the range's events:
 * the units that met step 1 in the range are found by index (page path or
 * event name), then their sessions' journeys (session_steps, kept by
 * ingest) are read as one text — a row per unit would cost more than the
 * query in PGlite. Events without a session (server-side tracks) are read
 * from events, by their own index. For customers, every session of every
 * anonymous id stitched to a unit that entered is read. Returns more than
 * the candidates; the caller tests each event against the steps.
 */
export async function journeysOf(
  db: Queryable,
  siteKey: string,
  steps: Step[],
  unit: 'customer' | 'session',
  range: { from: string; to: string },
  until: string,
  friction: readonly string[],
): Promise<{ units: Map<string, JourneyRow[]>; sessions: Map<string, JourneySession> }> {
  const s1 = steps[0]!;
  const first = 'page' in s1 ? `e.type = 'page' AND ${PATH} LIKE $4` : `e.type = 'track' AND e.name = $4`;
  const firstParam = 'page' in s1 ? likeOf(s1.page) : s1.event;
  const META = (u: string) => `json_build_array(s.session_id, ${u}, s.first_channel, s.last_channel, s.user_agent)::text || ',[' || coalesce(j.steps, '') || ']'`;
  const STEPS = `LEFT JOIN session_steps j ON j.site_key = s.site_key AND j.session_id = s.session_id`;
  const sql =
    unit === 'session'
      ? `WITH starts AS (SELECT DISTINCT e.session_id FROM events e WHERE e.site_key = $1 AND e.timestamp >= $2 AND e.timestamp < $3 AND e.session_id IS NOT NULL AND ${first})
         SELECT string_agg(${META('s.session_id')}, ',') AS j FROM starts JOIN sessions s ON s.site_key = $1 AND s.session_id = starts.session_id ${STEPS}`
      : `WITH starts AS (SELECT DISTINCT e.anonymous_id, e.session_id FROM events e WHERE e.site_key = $1 AND e.timestamp >= $2 AND e.timestamp < $3 AND ${first}),
              units AS (SELECT DISTINCT ${unitOf('st.anonymous_id')} AS unit FROM (SELECT DISTINCT anonymous_id FROM starts) st),
              members AS (SELECT anonymous_id FROM starts UNION SELECT i.anonymous_id FROM identities i JOIN units ON units.unit = 'u:' || i.user_id WHERE i.site_key = $1 AND i.verified),
              chosen AS (SELECT s.* FROM sessions s WHERE s.site_key = $1 AND (s.anonymous_id IN (SELECT anonymous_id FROM members) OR s.session_id IN (SELECT session_id FROM starts))),
              -- Each chosen session's customer (unitOf's rule), resolved once per anonymous id rather than by a subquery per session.
              links AS (SELECT DISTINCT ON (i.anonymous_id) i.anonymous_id, 'u:' || i.user_id AS u FROM identities i
                         WHERE i.site_key = $1 AND i.verified AND i.anonymous_id IN (SELECT anonymous_id FROM chosen) ORDER BY i.anonymous_id, i.linked_at DESC)
         SELECT string_agg(${META(`coalesce(l.u, 'a:' || s.anonymous_id)`)}, ',') AS j FROM chosen s LEFT JOIN links l ON l.anonymous_id = s.anonymous_id ${STEPS}`;
  const patterns = steps.flatMap((s) => ('page' in s ? [likeOf(s.page)] : []));
  const names = steps.flatMap((s) => ('event' in s ? [s.event] : []));
  const [withSession, sessionless] = await Promise.all([
    db.query<{ j: string | null }>(sql, [siteKey, range.from, range.to, firstParam]),
    db.query<{ j: string | null }>(
      `SELECT string_agg(json_build_array(e.id, ${AT}, e.type, e.name, ${PATH}, ${unit === 'session' ? `'a:' || e.anonymous_id` : unitOf('e.anonymous_id')})::text, ',') AS j
         FROM events e WHERE e.site_key = $1 AND e.session_id IS NULL AND e.type IN ('page', 'track') AND e.timestamp >= $2 AND e.timestamp < $3
          AND ((e.type = 'page' AND ${PATH} LIKE ANY($4::text[])) OR (e.type = 'track' AND e.name = ANY($5::text[])))`,
      [siteKey, range.from, until, patterns, names],
    ),
  ]);

  const units = new Map<string, JourneyRow[]>();
  const push = (u: string, r: JourneyRow) => {
    const rows = units.get(u);
    if (rows) rows.push(r);
    else units.set(u, [r]);
  };
  const sessions = new Map<string, JourneySession>();
  const read = JSON.parse(`[${withSession.rows[0]?.j ?? ''}]`) as ([string, string, string | null, string | null, string | null] | StepEntry[])[];
  const isFriction = new Set(friction);
  // An event whose anonymous id is not its session's belongs to that id's customer.
  const odd: { u: string; anon: string; r: JourneyRow }[] = [];
  for (let i = 0; i < read.length; i += 2) {
    const [sessionId, u, firstChannel, lastChannel, userAgent] = read[i] as [string, string, string | null, string | null, string | null];
    const s: JourneySession = { firstChannel, lastChannel, userAgent, friction: [] };
    sessions.set(sessionId, s);
    for (const [id, at, type, name, path, anon] of read[i + 1] as StepEntry[]) {
      const r = { id, at, type, name, path, sessionId };
      if (name !== null && isFriction.has(name)) s.friction.push({ at, id, name, path });
      if (anon !== null && unit === 'customer') odd.push({ u, anon, r });
      else push(u, r);
    }
    s.friction.sort((x, y) => x.at - y.at || x.id - y.id);
  }
  if (odd.length) {
    const { rows } = await db.query<{ a: string; u: string }>(`SELECT a, ${unitOf('a')} AS u FROM unnest($2::text[]) a`, [siteKey, [...new Set(odd.map((o) => o.anon))]]);
    const of = new Map(rows.map((r) => [r.a, r.u]));
    for (const o of odd) push(of.get(o.anon) ?? `a:${o.anon}`, o.r);
  }
  for (const [id, at, type, name, path, u] of JSON.parse(`[${sessionless.rows[0]?.j ?? ''}]`) as [number, number, string, string | null, string, string][]) {
    push(u, { id, at, type, name, path, sessionId: null });
  }
  return { units, sessions };
}
