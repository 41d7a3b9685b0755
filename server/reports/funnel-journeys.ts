import type { Queryable } from '../store/store.js';
import { likeOf, likeTest, type StepEvent } from './funnel-steps.js';
import { AUTOCAPTURED, type PageEntry, type TrackEntry } from './session-steps.js';

/** A candidate event of a funnel unit: the steps it meets, and its id (the order of events at the same moment). */
export type JourneyEvent = StepEvent & { id: number };
/**
 * Which steps an event may meet (bit k = step k; step 1's bit only inside
 * the range), 0 for none: only those events are kept, one object each.
 */
export type Candidate = (type: string, name: string | null, path: string, at: number) => number;

/** A session read for a funnel: the one of its entry touches or device a breakdown asked for (others null), and its friction events in (time, id) order. */
export interface JourneySession {
  firstChannel: string | null;
  lastChannel: string | null;
  userAgent: string | null;
  friction: { at: number; id: number; name: string; path: string }[];
}

type Step = { page: string } | { event: string };
/** What a breakdown reads of each session, if any. */
export type SessionDetail = 'firstChannel' | 'lastChannel' | 'userAgent';
const PATH = `coalesce(e.payload #>> '{context,page,path}', '/')`;
const msOf = (t: string) => `(extract(epoch FROM ${t}) * 1000)::float8`;
const AT = msOf('e.timestamp');
/** A customer: the anonymous id's latest verified user, else the anonymous id ($1 is the site). */
const unitOf = (anon: string) =>
  `coalesce((SELECT 'u:' || i.user_id FROM identities i WHERE i.site_key = $1 AND i.anonymous_id = ${anon} AND i.verified ORDER BY i.linked_at DESC LIMIT 1), 'a:' || ${anon})`;
/** unitOf's rule for many anonymous ids at once: each one's latest verified link (ids without one have no row). */
const latestLinks = (anons: string) =>
  `SELECT DISTINCT ON (i.anonymous_id) i.anonymous_id, i.user_id FROM identities i
    WHERE i.site_key = $1 AND i.verified AND i.anonymous_id IN (${anons}) ORDER BY i.anonymous_id, i.linked_at DESC`;
const COLUMN = { firstChannel: 'first_channel', lastChannel: 'last_channel', userAgent: 'user_agent' } as const;

/**
 * The events a funnel needs, per unit, without scanning the range's events:
 * the units that met step 1 in the range are found by index (page path or
 * event name), then their sessions' journeys (session_steps, kept by
 * ingest) are read as one text — a row per unit would cost more than the
 * query in PGlite: page views and tracks, and the autocaptured events only
 * if a step names one. Events without a session (server-side tracks) are
 * read from events, by their own index. For customers, the sessions of
 * every anonymous id stitched to a unit that entered, but only those with a
 * step inside the unit's span (its first step 1 to the window after its
 * last: nothing else can be in an attempt) or with another visitor's steps
 * (session_steps keeps both, migration 17). Returns more
 * than the candidates (every page view, the tracks a step or `friction`
 * names); the caller tests each event against the steps.
 */
export async function journeysOf(
  db: Queryable,
  siteKey: string,
  steps: Step[],
  unit: 'customer' | 'session',
  range: { from: string; to: string },
  until: string,
  friction: readonly string[],
  candidate: Candidate,
  detail?: SessionDetail,
): Promise<{ units: Map<string, JourneyEvent[]>; sessions: Map<string, JourneySession> }> {
  const s1 = steps[0]!;
  const first = 'page' in s1 ? `e.type = 'page' AND ${PATH} LIKE $4` : `e.type = 'track' AND e.name = $4`;
  const firstParam = 'page' in s1 ? likeOf(s1.page) : s1.event;
  const patterns = steps.flatMap((s) => ('page' in s ? [likeOf(s.page)] : []));
  const names = steps.flatMap((s) => ('event' in s ? [s.event] : []));
  const tracks = names.some((n) => (AUTOCAPTURED as readonly string[]).includes(n)) ? `concat_ws(',', nullif(j.tracks, ''), nullif(j.autocapture, ''))` : 'j.tracks';
  // Per session: [id, unit, the breakdown's detail], [its page views], [its tracks].
  const META = (u: string, session = 's') =>
    `json_build_array(${session}.session_id, ${u}${detail ? `, s.${COLUMN[detail]}` : ''})::text || ',[' || coalesce(j.pages, '') || '],[' || coalesce(${tracks}, '') || ']'`;
  const STEPS = `LEFT JOIN session_steps j ON j.site_key = $1 AND j.session_id = s.session_id`;
  const chosenColumns = `j.session_id, j.anonymous_id, j.pages, j.tracks, ${tracks === 'j.tracks' ? '' : 'j.autocapture, '}j.first_at, j.last_at, j.guests`;
  // The sessions with a step-1 page view in the range, from their pages (session_pages: first and last view of each path,
  // a tenth of the page views' rows and no JSON) — the events only for a session that viewed the page before and after the range.
  const pageStarts = (columns: string) => `SELECT ${columns} FROM session_pages p WHERE p.site_key = $1 AND p.path LIKE $4 AND p.first_at < $3 AND p.last_at >= $2
      AND (p.first_at >= $2 OR p.last_at < $3 OR EXISTS (SELECT 1 FROM events e WHERE e.site_key = $1 AND e.session_id = p.session_id AND e.timestamp >= $2 AND e.timestamp < $3 AND ${first}))`;
  // A customer funnel's starts carry bounds (ms) on the step-1 events they stand for: [lo, hi] holds every one of them.
  // $1 site, $2 from, $3 to, $4 what the starts need (step 1's pattern or name), $5 the window (ms); the range itself bounds any step 1.
  const customers = (starts: string) => `WITH starts AS (${starts}),
              starters AS (SELECT anonymous_id, min(lo) AS lo, max(hi) AS hi FROM starts GROUP BY 1),
              -- The customers who entered: each starter's latest verified user (unitOf's rule); every anonymous id linked to one of them is theirs.
              entered AS (${latestLinks('SELECT anonymous_id FROM starters')}),
              -- When an attempt of each can hold a step: from their first step 1 to the window after their last.
              spans AS (SELECT coalesce('u:' || l.user_id, 'a:' || st.anonymous_id) AS u, min(st.lo) AS lo, max(st.hi) + $5 AS hi
                          FROM starters st LEFT JOIN entered l ON l.anonymous_id = st.anonymous_id GROUP BY 1),
              members AS (SELECT anonymous_id FROM starters UNION SELECT i.anonymous_id FROM identities i WHERE i.site_key = $1 AND i.verified AND i.user_id IN (SELECT user_id FROM entered)),
              -- Their journeys (a session without steps has nothing to read), by the visitor each one keeps.
              chosen AS (SELECT ${chosenColumns} FROM session_steps j WHERE j.site_key = $1 AND (j.anonymous_id IN (SELECT anonymous_id FROM members) OR j.session_id IN (SELECT session_id FROM starts))),
              -- Each chosen session's customer, resolved once per anonymous id rather than by a subquery per session.
              links AS (${latestLinks('SELECT anonymous_id FROM chosen')})
         SELECT string_agg(${META('t.u', 'j')}, ',') AS j
           FROM chosen j LEFT JOIN links l ON l.anonymous_id = j.anonymous_id CROSS JOIN LATERAL (SELECT coalesce('u:' || l.user_id, 'a:' || j.anonymous_id) AS u) t
           LEFT JOIN spans b ON b.u = t.u${detail ? ' LEFT JOIN sessions s ON s.site_key = $1 AND s.session_id = j.session_id' : ''}
          -- A session with no step in its customer's span holds nothing an attempt can use (nor does one of a customer without a span,
          -- who never entered); a session with another visitor's steps is read whole, as they are that visitor's customer's. A start
          -- is in its customer's span or has such steps.
          WHERE j.guests OR (j.last_at >= b.lo AND j.first_at <= b.hi)`;
  const sql =
    unit === 'session'
      ? `WITH starts AS (${'page' in s1 ? pageStarts('DISTINCT p.session_id') : `SELECT DISTINCT e.session_id FROM events e WHERE e.site_key = $1 AND e.timestamp >= $2 AND e.timestamp < $3 AND e.session_id IS NOT NULL AND ${first}`})
         SELECT string_agg(${META('s.session_id')}, ',') AS j FROM starts JOIN sessions s ON s.site_key = $1 AND s.session_id = starts.session_id ${STEPS}`
      : customers(
          'page' in s1
            ? // Who met step 1: each such session's visitor, and the visitors of such page views without a session (by their own index);
              // a view in someone else's session names its visitor in the journey, read below.
              // The bounds: a session's first and last view of the page, clipped to the range.
              `SELECT s.anonymous_id, s.session_id, ${msOf('greatest(p.first_at, $2)')} AS lo, ${msOf('least(p.last_at, $3)')} AS hi
                 FROM (${pageStarts('p.session_id, min(p.first_at) AS first_at, max(p.last_at) AS last_at')} GROUP BY p.session_id) p JOIN sessions s ON s.site_key = $1 AND s.session_id = p.session_id
               UNION SELECT a, NULL, ${msOf('$2::timestamptz')}, ${msOf('$3::timestamptz')} FROM unnest($6::text[]) a`
            : `SELECT e.anonymous_id, e.session_id, min(${AT}) AS lo, max(${AT}) AS hi FROM events e WHERE e.site_key = $1 AND e.timestamp >= $2 AND e.timestamp < $3 AND ${first} GROUP BY 1, 2`,
        );
  // Events without a session first: in a customer funnel, their visitors who met step 1 are starters too.
  const loose = await db.query<{ j: string | null }>(
    `SELECT string_agg(json_build_array(e.id, ${AT}, e.type, e.name, ${PATH}, ${unit === 'session' ? `'a:' || e.anonymous_id` : unitOf('e.anonymous_id')}, e.anonymous_id)::text, ',') AS j
       FROM events e WHERE e.site_key = $1 AND e.session_id IS NULL AND e.type IN ('page', 'track') AND e.timestamp >= $2 AND e.timestamp < $3
        AND ((e.type = 'page' AND ${PATH} LIKE ANY($4::text[])) OR (e.type = 'track' AND e.name = ANY($5::text[])))`,
    [siteKey, range.from, until, patterns, names],
  );
  const sessionless = JSON.parse(`[${loose.rows[0]?.j ?? ''}]`) as [id: number, at: number, type: string, name: string | null, path: string, unit: string, anonymousId: string][];
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  const like = 'page' in s1 ? likeTest(s1.page) : () => false;
  const sessionlessStarters = [...new Set(sessionless.flatMap(([, at, type, , path, , anon]) => (type === 'page' && at >= from && at < to && like(path) ? [anon] : [])))];
  const windowMs = Date.parse(until) - to;
  const withSession = await db.query<{ j: string | null }>(
    sql,
    unit === 'session' ? [siteKey, range.from, range.to, firstParam] : [siteKey, range.from, range.to, firstParam, windowMs, ...('page' in s1 ? [sessionlessStarters] : [])],
  );

  const units = new Map<string, JourneyEvent[]>();
  const rowsOf = (u: string) => {
    let rows = units.get(u);
    if (!rows) units.set(u, (rows = []));
    return rows;
  };
  const push = (u: string, r: JourneyEvent) => rowsOf(u).push(r);
  const sessions = new Map<string, JourneySession>();
  const isFriction = new Set(friction);
  // An event whose anonymous id is not its session's belongs to that id's customer; one with a step-1 view in the range entered.
  const odd: { u: string; anon: string; r: JourneyEvent }[] = [];
  const oddStarters = new Set<string>();
  /** Reads the sessions of one aggregated text (a session already read is skipped). */
  const readSessions = (text: string | null | undefined) => {
    const read = JSON.parse(`[${text ?? ''}]`) as ([string, string, (string | null)?] | PageEntry[] | TrackEntry[])[];
    for (let i = 0; i < read.length; i += 3) {
      const [sessionId, u, value = null] = read[i] as [string, string, (string | null)?];
      if (sessions.has(sessionId)) continue;
      const s: JourneySession = { firstChannel: null, lastChannel: null, userAgent: null, friction: [] };
      if (detail) s[detail] = value;
      sessions.set(sessionId, s);
      // The unit's events, looked up once a session.
      let rows: JourneyEvent[] | undefined;
      for (const [id, at, path, anon] of read[i + 1] as PageEntry[]) {
        if (anon !== undefined && unit === 'customer' && at >= from && at < to && like(path)) oddStarters.add(anon);
        const mask = candidate('page', null, path, at);
        if (!mask) continue;
        const r = { at, mask, sessionId, id };
        if (anon !== undefined && unit === 'customer') odd.push({ u, anon, r });
        else (rows ??= rowsOf(u)).push(r);
      }
      for (const [id, at, name, path, anon] of read[i + 2] as TrackEntry[]) {
        if (name !== null && isFriction.has(name)) s.friction.push({ at, id, name, path });
        const mask = candidate('track', name, path, at);
        if (!mask) continue;
        const r = { at, mask, sessionId, id };
        if (anon !== undefined && unit === 'customer') odd.push({ u, anon, r });
        else (rows ??= rowsOf(u)).push(r);
      }
      s.friction.sort((x, y) => x.at - y.at || x.id - y.id);
    }
  };
  readSessions(withSession.rows[0]?.j);
  if (unit === 'customer' && 'page' in s1 && oddStarters.size) {
    // Step-1 views in someone else's session: their visitors entered too, so their customers' sessions are read as well.
    // Their step 1 is known only to be in the range.
    const { rows } = await db.query<{ j: string | null }>(
      customers(`SELECT a AS anonymous_id, NULL::text AS session_id, ${msOf('$2::timestamptz')} AS lo, ${msOf('$3::timestamptz')} AS hi FROM unnest($4::text[]) a`),
      [siteKey, range.from, range.to, [...oddStarters], windowMs],
    );
    readSessions(rows[0]?.j);
  }
  if (odd.length) {
    const { rows } = await db.query<{ a: string; u: string }>(`SELECT a, ${unitOf('a')} AS u FROM unnest($2::text[]) a`, [siteKey, [...new Set(odd.map((o) => o.anon))]]);
    const of = new Map(rows.map((r) => [r.a, r.u]));
    for (const o of odd) push(of.get(o.anon) ?? `a:${o.anon}`, o.r);
  }
  for (const [id, at, type, name, path, u] of sessionless) {
    const mask = candidate(type, name, path, at);
    if (mask) push(u, { at, mask, sessionId: null, id });
  }
  return { units, sessions };
}
