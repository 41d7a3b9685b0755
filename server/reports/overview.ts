import Type, { type Static } from 'typebox';
import type { Queryable } from '../store/store.js';
import { type SurveyDefinition, type QuestionType, scoreQuestion, type Histogram } from 'touchpoint/protocol';
import { type FigureSettings, Figures, localWeekSql, onlineNow, periodFigures } from './definitions.js';
import { siteDayStart, siteToday } from '../lib/site-time.js';
import { mondays, siteDateRange } from './site-days.js';
import { FRICTION_IN } from './friction.js';

const HEADLINE_TYPES = ['ces', 'csat', 'nps'] as const satisfies readonly QuestionType[];
const DAY = 86_400_000;
const WEEKS = 8;

const Score = Type.Union([Type.Number(), Type.Null()]);

/** The overview: the route's response schema (agent-customers.ts) and the console's type. */
export const Overview = Type.Object({
  /** The zone the site's days begin in (its settings). */
  timeZone: Type.String(),
  /** Today, from local midnight: the same figures, by the same definitions, as attribution's totals for today. */
  today: Figures,
  /** Customers active in the last 5 minutes. */
  onlineNow: Type.Integer(),
  openConversations: Type.Integer(),
  waitingConversations: Type.Integer(),
  /**
   * CES, CSAT and NPS over every survey of the site: the last 30 local days,
   * and per local week for the last 8 (Monday first; a week without answers is
   * there with n 0 and score null, so a chart shows the gap).
   */
  scores: Type.Array(
    Type.Object({
      type: Type.Union([Type.Literal('ces'), Type.Literal('csat'), Type.Literal('nps')]),
      n: Type.Integer(),
      score: Score,
      unit: Type.String(),
      trend: Type.Array(Type.Object({ week: Type.String(), n: Type.Integer(), score: Score })),
    }),
  ),
  /** Pages with the most rage, dead and error clicks in the last 7 local days. */
  friction: Type.Array(Type.Object({ path: Type.String(), rage: Type.Integer(), dead: Type.Integer(), error: Type.Integer(), total: Type.Integer() })),
  /** 75th percentile of each web vital per page, last 7 local days (the Core Web Vitals threshold). */
  vitals: Type.Array(Type.Object({ path: Type.String(), metric: Type.String(), p75: Type.Number(), n: Type.Integer() })),
});
export type Overview = Static<typeof Overview>;

/** The console's landing figures, in the site's days. Every query is bounded by an index range (site + time). */
export async function overview(db: Queryable, siteKey: string, surveys: SurveyDefinition[], now: number, settings: FigureSettings): Promise<Overview> {
  const tz = settings.timeZone;
  const today = siteToday(now, tz);
  const weeks = mondays(today, WEEKS);
  // Today as attribution's ?from=today&to=today reads it: local midnight to the next.
  const todayRange = siteDateRange({ from: today, to: today }, now, tz);
  const week = new Date(siteDayStart(new Date(Date.parse(`${today}T00:00:00Z`) - 6 * DAY).toISOString().slice(0, 10), tz)).toISOString();
  const eightWeeks = new Date(siteDayStart(weeks[0]!, tz)).toISOString();
  const month = siteDateRange({}, now, tz).from;
  const PATH = `coalesce(e.payload #>> '{context,page,path}', '/')`;

  const [figures, online, convs, answers, friction, vitals] = await Promise.all([
    periodFigures(db, siteKey, todayRange, settings),
    onlineNow(db, siteKey, now),
    db.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM conversations WHERE site_key = $1 AND status IN ('open', 'pending') GROUP BY 1`, [siteKey]),
    db.query<{ week: string; survey_id: string; question_id: string; v: string | null; recent: boolean; n: string }>(
      `SELECT ${localWeekSql('timestamp', '$4')} AS week, survey_id, question_id, value #>> '{}' AS v,
              timestamp >= $3 AS recent, count(*) AS n
         FROM survey_answers WHERE site_key = $1 AND timestamp >= least($2::timestamptz, $3::timestamptz) AND question_id <> '$dismissed' GROUP BY 1, 2, 3, 4, 5`,
      [siteKey, eightWeeks, month, tz],
    ),
    db.query<{ path: string; name: string; n: string }>(
      `SELECT ${PATH} AS path, e.name, count(*) AS n FROM events e
        WHERE e.site_key = $1 AND e.name IN ${FRICTION_IN} AND e.timestamp >= $2 GROUP BY 1, 2`,
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
    const byWeek = new Map<string, Histogram>();
    for (const r of answers.rows) {
      if (r.v === null || typeOf.get(`${r.survey_id}|${r.question_id}`) !== type) continue;
      const h = byWeek.get(r.week) ?? {};
      h[r.v] = (h[r.v] ?? 0) + Number(r.n);
      byWeek.set(r.week, h);
      if (r.recent) all[r.v] = (all[r.v] ?? 0) + Number(r.n);
    }
    const s = scoreQuestion(type, all)!;
    return {
      type,
      n: s.n,
      score: s.score,
      unit: s.unit,
      trend: weeks.map((w) => {
        const t = scoreQuestion(type, byWeek.get(w) ?? {})!;
        return { week: w, n: t.n, score: t.score };
      }),
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
    timeZone: tz,
    today: figures,
    onlineNow: online,
    openConversations: n('open'),
    waitingConversations: n('pending'),
    scores,
    friction: [...byPath.values()].sort((a, b) => b.total - a.total).slice(0, 10),
    vitals: vitals.rows.map((r) => ({ path: r.path, metric: r.metric, p75: Math.round(Number(r.p75) * 1000) / 1000, n: Number(r.n) })),
  };
}
