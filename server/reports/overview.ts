import type { Queryable } from '../store/store.js';
import { type SurveyDefinition, type QuestionType, scoreQuestion, type Histogram } from 'touchpoint/protocol';
import { ONLINE_MS } from '../customers/customer-profile.js';
import { visitorsSince } from '../customers/visitors-since.js';

const HEADLINE_TYPES = ['ces', 'csat', 'nps'] as const satisfies readonly QuestionType[];

export interface Overview {
  visitorsToday: number;
  sessionsToday: number;
  onlineNow: number;
  openConversations: number;
  waitingConversations: number;
  /** CES, CSAT and NPS over every survey of the site: last 30 days, and per week for 8 weeks. */
  scores: { type: (typeof HEADLINE_TYPES)[number]; n: number; score: number | null; unit: string; trend: { week: string; n: number; score: number | null }[] }[];
  /** Pages with the most rage, dead and error clicks in the last 7 days. */
  friction: { path: string; rage: number; dead: number; error: number; total: number }[];
  /** 75th percentile of each web vital per page, last 7 days (the Core Web Vitals threshold). */
  vitals: { path: string; metric: string; p75: number; n: number }[];
}

/** The console's landing figures. Every query is bounded by an index range (site + time). */
export async function overview(db: Queryable, siteKey: string, surveys: SurveyDefinition[], now: number): Promise<Overview> {
  const day = new Date(Math.floor(now / 86_400_000) * 86_400_000).toISOString();
  const week = new Date(now - 7 * 86_400_000).toISOString();
  const eightWeeks = new Date(now - 56 * 86_400_000).toISOString();
  const month = new Date(now - 30 * 86_400_000).toISOString();
  const PATH = `coalesce(e.payload #>> '{context,page,path}', '/')`;

  const [today, online, convs, answers, friction, vitals] = await Promise.all([
    visitorsSince(db, siteKey, day),
    visitorsSince(db, siteKey, new Date(now - ONLINE_MS).toISOString()),
    db.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM conversations WHERE site_key = $1 AND status IN ('open', 'pending') GROUP BY 1`, [siteKey]),
    db.query<{ week: string; survey_id: string; question_id: string; v: string | null; recent: boolean; n: string }>(
      `SELECT to_char(date_trunc('week', timestamp AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS week, survey_id, question_id, value #>> '{}' AS v,
              timestamp >= $3 AS recent, count(*) AS n
         FROM survey_answers WHERE site_key = $1 AND timestamp >= $2 AND question_id <> '$dismissed' GROUP BY 1, 2, 3, 4, 5`,
      [siteKey, eightWeeks, month],
    ),
    db.query<{ path: string; name: string; n: string }>(
      `SELECT ${PATH} AS path, e.name, count(*) AS n FROM events e
        WHERE e.site_key = $1 AND e.name IN ('Rage Click', 'Dead Click', 'Error Click') AND e.timestamp >= $2 GROUP BY 1, 2`,
      [siteKey, week],
    ),
    db.query<{ path: string; metric: string; p75: number; n: string }>(
      `SELECT ${PATH} AS path, e.payload #>> '{properties,name}' AS metric,
              percentile_cont(0.75) WITHIN GROUP (ORDER BY (e.payload #>> '{properties,value}')::float8) AS p75, count(*) AS n
         FROM events e
        WHERE e.site_key = $1 AND e.name = 'Web Vital' AND e.timestamp >= $2 AND (e.payload #>> '{properties,value}') ~ '^-?[0-9.]+$'
        GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 60`,
      [siteKey, week],
    ),
  ]);

  // Which question of which survey is a CES, CSAT or NPS: the site's definitions say.
  const typeOf = new Map<string, QuestionType>();
  for (const s of surveys) for (const q of s.questions) typeOf.set(`${s.id}|${q.id}`, q.type);
  const scores = HEADLINE_TYPES.map((type) => {
    const all: Histogram = {};
    const weeks = new Map<string, Histogram>();
    for (const r of answers.rows) {
      if (r.v === null || typeOf.get(`${r.survey_id}|${r.question_id}`) !== type) continue;
      const h = weeks.get(r.week) ?? {};
      h[r.v] = (h[r.v] ?? 0) + Number(r.n);
      weeks.set(r.week, h);
      if (r.recent) all[r.v] = (all[r.v] ?? 0) + Number(r.n);
    }
    const s = scoreQuestion(type, all)!;
    return {
      type,
      n: s.n,
      score: s.score,
      unit: s.unit,
      trend: [...weeks].sort(([a], [b]) => a.localeCompare(b)).map(([w, h]) => ({ week: w, ...(({ n, score }) => ({ n, score }))(scoreQuestion(type, h)!) })),
    };
  });

  const byPath = new Map<string, Overview['friction'][number]>();
  for (const r of friction.rows) {
    const p = byPath.get(r.path) ?? { path: r.path, rage: 0, dead: 0, error: 0, total: 0 };
    const n = Number(r.n);
    if (r.name === 'Rage Click') p.rage += n;
    else if (r.name === 'Dead Click') p.dead += n;
    else p.error += n;
    p.total += n;
    byPath.set(r.path, p);
  }
  const n = (status: string) => Number(convs.rows.find((r) => r.status === status)?.n ?? 0);
  return {
    visitorsToday: today.visitors,
    sessionsToday: today.sessions,
    onlineNow: online.visitors,
    openConversations: n('open'),
    waitingConversations: n('pending'),
    scores,
    friction: [...byPath.values()].sort((a, b) => b.total - a.total).slice(0, 10),
    vitals: vitals.rows.map((r) => ({ path: r.path, metric: r.metric, p75: Math.round(Number(r.p75) * 1000) / 1000, n: Number(r.n) })),
  };
}
