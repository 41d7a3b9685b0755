import { gunzipSync } from 'node:zlib';
import Type, { type Static } from 'typebox';
import type { Queryable } from '../store/store.js';
import { FRICTION_IN } from './friction.js';

export interface ReplaySummary {
  sessionId: string;
  siteKey: string;
  anonymousId: string | null;
  /** Epoch ms of the first and last recorded moment. */
  first: number;
  last: number;
  chunks: number;
  windows: number;
}

/** A row of the replay list: the recording, how long it is, who it is, and what happened in it. */
export interface ReplayListItem extends ReplaySummary {
  /** last − first, in ms. */
  durationMs: number;
  /** The verified user of the visitor (definitions.ts: their latest verified link), and their name and e-mail traits. */
  userId: string | null;
  name: string | null;
  email: string | null;
  /** The session's first page path. */
  entryPath: string | null;
  pages: number;
  friction: number;
  errors: number;
  /** A low score (LOW_SCORES) answered in the session. */
  lowScore: boolean;
}

/** What the list can be narrowed to; every filter is optional, and they combine. */
export interface ReplayFilter {
  siteKey?: string | undefined;
  /** Recordings that began in this half-open range of instants (the site's local days, siteDateRange). */
  range?: { from: string; to: string } | undefined;
  /** A page path the session viewed (substring, case-insensitive). */
  page?: string | undefined;
  /** Anonymous ids of one customer (resolveCustomer). */
  anonymousIds?: string[] | undefined;
  friction?: boolean | undefined;
  error?: boolean | undefined;
  /** Only sessions with a low score. */
  lowScore?: boolean | undefined;
  /** `siteKey|surveyId|questionId` → the low-score bound of that question (a number: at or under; a string: equal): marks each row's `lowScore`. */
  lowScores?: Record<string, number | string> | undefined;
}

/** The path of a stored URL (scrubbed at ingest), or null when there is none or it does not parse. */
const pathOf = (url: string | null): string | null => {
  if (!url) return null;
  try {
    return new URL(url).pathname;
  } catch {
    return null;
  }
};


/** Recorded sessions, newest first, narrowed by `f`: what the console's replay list shows. */
export async function listReplays(db: Queryable, f: ReplayFilter = {}, limit = 200): Promise<ReplayListItem[]> {
  const params: unknown[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  const where: string[] = [];
  const having: string[] = [];
  if (f.siteKey) where.push(`r.site_key = ${p(f.siteKey)}`);
  if (f.anonymousIds) where.push(`r.anonymous_id = ANY(${p(f.anonymousIds)})`);
  if (f.range) having.push(`min(r.first_ts) >= ${p(Date.parse(f.range.from))} AND min(r.first_ts) < ${p(Date.parse(f.range.to))}`);
  const inSession = (table: string, cond: string) => `EXISTS (SELECT 1 FROM ${table} WHERE x.site_key = g.site_key AND x.session_id = g.session_id AND ${cond})`;
  const cond: string[] = [];
  if (f.page) cond.push(inSession('events x', `x.type = 'page' AND lower(x.payload #>> '{context,page,path}') LIKE ${p(`%${f.page.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`));
  if (f.friction) cond.push(inSession('events x', `x.name IN ${FRICTION_IN}`));
  if (f.error) cond.push(inSession('events x', `x.name = 'Error Occurred'`));
  let lowScore = 'false';
  if (f.lowScores && Object.keys(f.lowScores).length) {
    const low = p(JSON.stringify(f.lowScores));
    const key = `(x.site_key || '|' || x.survey_id || '|' || x.question_id)`;
    // CASE, not AND: "very"::numeric must never be evaluated.
    lowScore = inSession(
      'survey_answers x',
      `${low}::jsonb ? ${key} AND CASE WHEN jsonb_typeof(${low}::jsonb -> ${key}) = 'number'
           THEN CASE WHEN jsonb_typeof(x.value) = 'number' THEN (x.value #>> '{}')::numeric <= (${low}::jsonb ->> ${key})::numeric ELSE false END
           ELSE (x.value #>> '{}') = (${low}::jsonb ->> ${key}) END`,
    );
  }
  if (f.lowScore) cond.push(lowScore);
  const { rows } = await db.query<{ session_id: string; site_key: string; anonymous_id: string | null; first: string; last: string; chunks: string; windows: string; user_id: string | null; traits: Record<string, unknown>[] | null; entry_path: string | null; pages: string; friction: string; errors: string; low: boolean }>(
    `WITH g AS (
       SELECT r.session_id, r.site_key, max(r.anonymous_id) AS anonymous_id, min(r.first_ts) AS first, max(r.last_ts) AS last, count(*) AS chunks, count(DISTINCT r.window_id) AS windows
         FROM replay_chunks r ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        GROUP BY r.site_key, r.session_id ${having.length ? `HAVING ${having.join(' AND ')}` : ''}
     )
     SELECT g.*,
            (SELECT i.user_id FROM identities i WHERE i.site_key = g.site_key AND i.anonymous_id = g.anonymous_id AND i.verified ORDER BY i.linked_at DESC LIMIT 1) AS user_id,
            (SELECT jsonb_agg(e.payload -> 'traits' ORDER BY e.timestamp) FROM events e
              WHERE e.site_key = g.site_key AND e.anonymous_id = g.anonymous_id AND e.type = 'identify' AND e.payload ? 'traits') AS traits,
            (SELECT s.entry_url FROM sessions s WHERE s.site_key = g.site_key AND s.session_id = g.session_id) AS entry_path,
            (SELECT count(*) FROM events x WHERE x.site_key = g.site_key AND x.session_id = g.session_id AND x.type = 'page') AS pages,
            (SELECT count(*) FROM events x WHERE x.site_key = g.site_key AND x.session_id = g.session_id AND x.name IN ${FRICTION_IN}) AS friction,
            (SELECT count(*) FROM events x WHERE x.site_key = g.site_key AND x.session_id = g.session_id AND x.name = 'Error Occurred') AS errors,
            ${lowScore} AS low
       FROM g ${cond.length ? `WHERE ${cond.join(' AND ')}` : ''}
      ORDER BY g.last DESC LIMIT ${Math.min(Math.max(1, limit), 500)}`,
    params,
  );
  return rows.map((r) => {
    const traits = Object.assign({}, ...(r.traits ?? [])) as Record<string, unknown>;
    const first = +r.first;
    const last = +r.last;
    return {
      sessionId: r.session_id,
      siteKey: r.site_key,
      anonymousId: r.anonymous_id,
      first,
      last,
      durationMs: last - first,
      chunks: +r.chunks,
      windows: +r.windows,
      userId: r.user_id,
      name: typeof traits.name === 'string' ? traits.name : null,
      email: typeof traits.email === 'string' ? traits.email : null,
      entryPath: pathOf(r.entry_path),
      pages: +r.pages,
      friction: +r.friction,
      errors: +r.errors,
      lowScore: r.low,
    };
  });
}

/** A moment on the player's timeline. */
export const ReplayMarker = Type.Object({
  /** Epoch ms. */
  t: Type.Number(),
  kind: Type.Union([Type.Literal('page'), Type.Literal('click'), Type.Literal('friction'), Type.Literal('error'), Type.Literal('event'), Type.Literal('chat'), Type.Literal('survey')]),
  label: Type.String(),
});
export type ReplayMarker = Static<typeof ReplayMarker>;

/** One recording: the route's response schema (agent-replays.ts) and the console's type. */
export const ReplayDetail = Type.Object({
  sessionId: Type.String(),
  siteKey: Type.String(),
  anonymousId: Type.Union([Type.String(), Type.Null()]),
  first: Type.Number(),
  last: Type.Number(),
  chunks: Type.Integer(),
  windows: Type.Integer(),
  windowIds: Type.Array(Type.Object({ windowId: Type.String(), first: Type.Number(), last: Type.Number(), chunks: Type.Integer() })),
  markers: Type.Array(ReplayMarker),
});
export type ReplayDetail = Static<typeof ReplayDetail>;

/**
 * The site a session was recorded on: the one given, else the site of its
 * earliest chunk. Session ids come from browsers, so another site may post
 * chunks under the same id; they are its own and never join this recording.
 */
export async function replaySite(db: Queryable, sessionId: string, siteKey?: string): Promise<string | undefined> {
  const { rows } = await db.query<{ site_key: string }>(
    'SELECT site_key FROM replay_chunks WHERE session_id = $1 AND ($2::text IS NULL OR site_key = $2) ORDER BY received_at, first_ts LIMIT 1',
    [sessionId, siteKey ?? null],
  );
  return rows[0]?.site_key;
}

/** One session's recording on one site: its tabs and the timeline markers of everything else that happened in it. */
export async function replayDetail(db: Queryable, sessionId: string, siteKey?: string): Promise<ReplayDetail | undefined> {
  const site = await replaySite(db, sessionId, siteKey);
  if (site === undefined) return undefined;
  const { rows: wins } = await db.query<{ site_key: string; window_id: string; anonymous_id: string | null; first: string; last: string; chunks: string }>(
    `SELECT site_key, window_id, max(anonymous_id) AS anonymous_id, min(first_ts) AS first, max(last_ts) AS last, count(*) AS chunks
       FROM replay_chunks WHERE site_key = $1 AND session_id = $2 GROUP BY site_key, window_id ORDER BY min(first_ts)`,
    [site, sessionId],
  );
  if (!wins.length) return undefined;
  const ms = `(extract(epoch from x.ts) * 1000)::bigint`;
  const { rows: marks } = await db.query<{ t: string; kind: string; label: string }>(
    `SELECT ${ms} AS t, x.kind, x.label FROM (
       SELECT e.timestamp AS ts,
              CASE WHEN e.type = 'page' THEN 'page' WHEN e.name = 'Element Clicked' THEN 'click' WHEN e.name IN ${FRICTION_IN} THEN 'friction'
                   WHEN e.name = 'Error Occurred' THEN 'error' ELSE 'event' END AS kind,
              CASE WHEN e.type = 'page' THEN coalesce(e.payload #>> '{context,page,path}', '/') ELSE coalesce(e.name, e.type) END AS label
         FROM events e WHERE e.site_key = $1 AND e.session_id = $2 AND e.type IN ('page', 'track')
       UNION ALL
       SELECT m.created_at, 'chat', m.author_kind || ': ' || left(m.body, 80)
         FROM chat_events m JOIN conversations c ON c.id = m.conversation_id
        WHERE c.site_key = $1 AND c.session_id = $2 AND m.kind = 'message'
       UNION ALL
       SELECT to_timestamp(coalesce(a.replay_ts, (extract(epoch from a.timestamp) * 1000)::bigint) / 1000.0), 'survey',
              a.survey_id || ' · ' || a.question_id || coalesce(' = ' || (a.value #>> '{}'), '')
         FROM survey_answers a WHERE a.site_key = $1 AND a.session_id = $2
     ) x ORDER BY x.ts LIMIT 2000`,
    [site, sessionId],
  );
  const windowIds = wins.map((w) => ({ windowId: w.window_id, first: +w.first, last: +w.last, chunks: +w.chunks }));
  return {
    sessionId,
    siteKey: site,
    anonymousId: wins.find((w) => w.anonymous_id)?.anonymous_id ?? null,
    first: Math.min(...windowIds.map((w) => w.first)),
    last: Math.max(...windowIds.map((w) => w.last)),
    chunks: windowIds.reduce((s, w) => s + w.chunks, 0),
    windows: windowIds.length,
    windowIds,
    markers: marks.map((m) => ({ t: +m.t, kind: m.kind as ReplayMarker['kind'], label: m.label })),
  };
}

/** A tab's rrweb events on one site, chunks in order, as one JSON array text (chunks were validated on the way in). */
export async function replayEvents(db: Queryable, siteKey: string, sessionId: string, windowId: string): Promise<string> {
  const { rows } = await db.query<{ bytes: Uint8Array }>('SELECT bytes FROM replay_chunks WHERE site_key = $1 AND session_id = $2 AND window_id = $3 ORDER BY seq', [siteKey, sessionId, windowId]);
  const parts = rows.map((r) => gunzipSync(r.bytes).toString('utf8').trim().slice(1, -1)).filter((p) => p.length);
  return `[${parts.join(',')}]`;
}
