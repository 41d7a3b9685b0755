import { LOW_SCORES, type SurveyDefinition } from 'touchpoint/protocol';
import type { Queryable } from '../store/store.js';
import { isoUtc } from '../store/iso-utc.js';
import type { FrictionEvent } from './friction.js';

/**
 * The struggle score's signals and weights (docs/console.md#struggle). A
 * session struggles on a page with a signal when it shows it there at least
 * once: a page's rate of a signal is sessions with it ÷ sessions on the page,
 * so one frantic session cannot carry a page.
 */
export const STRUGGLE_WEIGHTS = {
  /** The customer said so: a CES answer at or below the low mark (3 of 7) given on the page. */
  lowCes: 4,
  /** Clicks in anger, and clicks the page answered with an error. */
  rage: 3,
  error: 3,
  /** A slow page (LCP) or a slow answer to input (INP) rated poor by web-vitals. */
  poorVitals: 2,
  /** A chat opened on the page: they needed a person (also engagement, so not more). */
  chats: 2,
  /** Dead clicks are the noisiest signal (a decorative element clicked). */
  dead: 1,
} as const;
export type StruggleSignal = keyof typeof STRUGGLE_WEIGHTS;
const SIGNALS = Object.keys(STRUGGLE_WEIGHTS) as StruggleSignal[];
const TOTAL = SIGNALS.reduce((n, k) => n + STRUGGLE_WEIGHTS[k], 0);
/** Each friction event's signal. */
const SIGNAL_OF: Record<FrictionEvent, StruggleSignal> = { 'Rage Click': 'rage', 'Dead Click': 'dead', 'Error Click': 'error' };
/** Example sessions shown per page. */
const EXAMPLES = 5;

export interface StrugglePage {
  path: string;
  sessions: number;
  /** Sessions with at least one signal on the page. */
  struggling: number;
  /** Sessions showing each signal on the page. */
  signals: Record<StruggleSignal, number>;
  /** 0–100: Σ weight × rate over the signals, ÷ the weights' sum (100: every session showed every signal). */
  score: number;
  /** The sessions that struggled most here (weighted signals), each at the moment of its first signal on the page. */
  examples: { sessionId: string; at: string; signal: StruggleSignal }[];
}

export interface StruggleReport {
  range: { from: string; to: string };
  minSessions: number;
  weights: typeof STRUGGLE_WEIGHTS;
  pages: StrugglePage[];
  /** Pages with signals but fewer sessions than `minSessions`: not ranked (a rate of 1 in 2 says little). */
  tooFew: number;
}

const pathOf = (url: string | null): string | undefined => {
  if (!url) return undefined;
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
};

/**
 * Pages ranked by their struggle score over a range: per page, the sessions
 * that viewed it, and which of them showed each signal there — friction
 * events (rage, dead, error clicks), poor LCP/INP web vitals, low CES answers
 * given on the page, chats opened on it. Three reads of the signals, each by
 * site and time (friction and vitals from their copy, struggle_signals),
 * joined per page and session here (the same on either store); then one
 * count per page of the sessions on it, from session_pages.
 */
export async function struggleReport(db: Queryable, siteKey: string, surveys: SurveyDefinition[], range: { from: string; to: string }, minSessions = 30): Promise<StruggleReport> {
  const PATH = `coalesce(e.payload #>> '{context,page,path}', '/')`;
  // Survey and question ids never hold a `/` (their schema's pattern): `survey/question` is unambiguous.
  const ces = surveys.flatMap((s) => s.questions.filter((q) => q.type === 'ces').map((q) => `${s.id}/${q.id}`));
  const [signals, answers, chats] = await Promise.all([
    // The signal events, from their narrow copy (session-pages.ts; the events' JSON was most of the time).
    db.query<{ path: string; session_id: string; name: string; at: string }>(
      `SELECT path, session_id, name, ${isoUtc('timestamp')} AS at FROM struggle_signals
        WHERE site_key = $1 AND timestamp >= $2 AND timestamp < $3 ORDER BY timestamp, event_id`,
      [siteKey, range.from, range.to],
    ),
    ces.length
      ? db.query<{ url: string | null; session_id: string; at: string }>(
          `SELECT url, session_id, ${isoUtc('timestamp')} AS at FROM survey_answers
            WHERE site_key = $1 AND timestamp >= $2 AND timestamp < $3 AND session_id IS NOT NULL AND survey_id || '/' || question_id = ANY($4::text[])
              AND jsonb_typeof(value) = 'number' AND (value #>> '{}')::numeric <= $5`,
          [siteKey, range.from, range.to, ces, LOW_SCORES.ces],
        )
      : Promise.resolve({ rows: [] as { url: string | null; session_id: string; at: string }[] }),
    db.query<{ page: string | null; session_id: string; at: string }>(
      `SELECT page, session_id, ${isoUtc('created_at')} AS at FROM conversations WHERE site_key = $1 AND created_at >= $2 AND created_at < $3 AND session_id IS NOT NULL`,
      [siteKey, range.from, range.to],
    ),
  ]);

  // page → session → the signals it showed there, each at its first moment.
  const pages = new Map<string, Map<string, Map<StruggleSignal, string>>>();
  const session = (path: string, id: string) => {
    let p = pages.get(path);
    if (!p) pages.set(path, (p = new Map()));
    let s = p.get(id);
    if (!s) p.set(id, (s = new Map()));
    return s;
  };
  const mark = (path: string | undefined, id: string, signal: StruggleSignal, at: string) => {
    if (!path) return;
    const s = session(path, id);
    const was = s.get(signal);
    if (!was || at < was) s.set(signal, at);
  };
  for (const e of signals.rows) mark(e.path, e.session_id, SIGNAL_OF[e.name as FrictionEvent] ?? 'poorVitals', e.at);
  for (const a of answers.rows) mark(pathOf(a.url), a.session_id, 'lowCes', a.at);
  for (const c of chats.rows) mark(pathOf(c.page), c.session_id, 'chats', c.at);
  // A page's sessions: those that viewed it in the range (session_pages: a row per session and page, its first and last view),
  // and those with a signal there but no view in the range — counted by the database, not shipped, and without a UNION of every
  // pair (its de-duplication was most of the time in PGlite). A row's views are in the range when its first or last is; a session
  // with views before and after the range, and none seen between, is looked up in its events.
  const marked = [...pages].flatMap(([path, ss]) => [...ss.keys()].map((id) => [path, id] as const));
  const VIEWED = `p.site_key = $1 AND p.first_at < $3 AND p.last_at >= $2 AND (p.first_at >= $2 OR p.last_at < $3 OR EXISTS (
      SELECT 1 FROM events e WHERE e.site_key = $1 AND e.session_id = p.session_id AND e.type = 'page' AND e.timestamp >= $2 AND e.timestamp < $3 AND ${PATH} = p.path))`;
  const { rows: counts } = await db.query<{ path: string; n: number }>(
    `SELECT path, sum(n)::int AS n FROM (
       SELECT p.path, count(*) AS n FROM session_pages p WHERE ${VIEWED} GROUP BY p.path
       UNION ALL
       SELECT m.path, count(*) FROM unnest($4::text[], $5::text[]) m(path, session_id)
        WHERE NOT EXISTS (SELECT 1 FROM session_pages p WHERE p.session_id = m.session_id AND p.path = m.path AND ${VIEWED}) GROUP BY m.path) v
     GROUP BY path`,
    [siteKey, range.from, range.to, marked.map((m) => m[0]), marked.map((m) => m[1])],
  );
  const sessionsOn = new Map(counts.map((r) => [r.path, r.n]));

  const ranked: StrugglePage[] = [];
  let tooFew = 0;
  for (const [path, sessions] of pages) {
    const struggled = [...sessions].filter(([, s]) => s.size);
    if (!struggled.length) continue;
    const viewed = sessionsOn.get(path) ?? sessions.size;
    if (viewed < minSessions) {
      tooFew++;
      continue;
    }
    const count = Object.fromEntries(SIGNALS.map((k) => [k, struggled.filter(([, s]) => s.has(k)).length])) as Record<StruggleSignal, number>;
    const weightOf = (s: Map<StruggleSignal, string>) => [...s.keys()].reduce((n, k) => n + STRUGGLE_WEIGHTS[k], 0);
    const examples = struggled
      .map(([id, s]) => {
        const [signal, at] = [...s].sort((x, y) => (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0))[0]!;
        return { sessionId: id, at, signal, w: weightOf(s) };
      })
      .sort((x, y) => y.w - x.w || (x.at < y.at ? 1 : -1))
      .slice(0, EXAMPLES)
      .map(({ sessionId, at, signal }) => ({ sessionId, at, signal }));
    const score = (100 * SIGNALS.reduce((n, k) => n + STRUGGLE_WEIGHTS[k] * (count[k] / viewed), 0)) / TOTAL;
    ranked.push({ path, sessions: viewed, struggling: struggled.length, signals: count, score: Math.round(score * 10) / 10, examples });
  }
  ranked.sort((a, b) => b.score - a.score || b.sessions - a.sessions || a.path.localeCompare(b.path));
  return { range, minSessions, weights: STRUGGLE_WEIGHTS, pages: ranked, tooFew };
}
