import { gunzipSync } from 'node:zlib';
import type { Queryable } from '../store/store.js';

export interface ReplaySummary {
  sessionId: string;
  siteKey: string;
  anonymousId: string | null;
  first: number;
  last: number;
  chunks: number;
  windows: number;
}

export interface ReplayMarker {
  /** Epoch ms. */
  t: number;
  kind: 'page' | 'click' | 'friction' | 'error' | 'event' | 'chat' | 'survey';
  label: string;
}

export interface ReplayDetail extends ReplaySummary {
  windowIds: { windowId: string; first: number; last: number; chunks: number }[];
  markers: ReplayMarker[];
}

/** Recorded sessions, newest first. */
export async function listReplays(db: Queryable, limit = 200): Promise<ReplaySummary[]> {
  const { rows } = await db.query<{ session_id: string; site_key: string; anonymous_id: string | null; first: string; last: string; chunks: string; windows: string }>(
    `SELECT session_id, site_key, max(anonymous_id) AS anonymous_id, min(first_ts) AS first, max(last_ts) AS last, count(*) AS chunks, count(DISTINCT window_id) AS windows
       FROM replay_chunks GROUP BY site_key, session_id ORDER BY max(last_ts) DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ sessionId: r.session_id, siteKey: r.site_key, anonymousId: r.anonymous_id, first: +r.first, last: +r.last, chunks: +r.chunks, windows: +r.windows }));
}

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
              CASE WHEN e.type = 'page' THEN 'page' WHEN e.name = 'Element Clicked' THEN 'click' WHEN e.name IN ('Rage Click', 'Dead Click', 'Error Click') THEN 'friction'
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
