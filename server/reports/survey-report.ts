import Type, { type Static } from 'typebox';
import { SCALES, QUESTION_TYPES, type QuestionType, type Question, SurveyDefinition, LOW_SCORES, cliOf, scoreQuestion, type Histogram } from 'touchpoint/protocol';
import type { Queryable } from '../store/store.js';
import { toCsv } from '../lib/csv.js';
import { isoUtc } from '../store/iso-utc.js';
import { siteDay } from '../lib/site-time.js';
import { daysBetween } from './days-between.js';
import { localDaySql, zoneLiteral } from './definitions.js';

export interface Range {
  from: string;
  to: string;
}

const NullStr = Type.Union([Type.String(), Type.Null()]);
const NullNum = Type.Union([Type.Number(), Type.Null()]);

/** A question's score (touchpoint/protocol's Score) as the report sends it. */
const ScoreSchema = Type.Object({
  n: Type.Integer(),
  score: NullNum,
  unit: Type.Union([Type.Literal('%'), Type.Literal('nps')]),
  mean: NullNum,
  histogram: Type.Record(Type.String(), Type.Integer()),
});

export const QuestionReport = Type.Object({
  id: Type.String(),
  type: Type.Enum(QUESTION_TYPES),
  prompt: Type.Optional(Type.String()),
  score: Type.Union([ScoreSchema, Type.Null()]),
});
export type QuestionReport = Static<typeof QuestionReport>;

export const Breakdown = Type.Object({ key: Type.String(), n: Type.Integer(), score: NullNum });
export type Breakdown = Static<typeof Breakdown>;

export const LowScore = Type.Object({
  responseId: Type.String(),
  timestamp: Type.String(),
  value: Type.Union([Type.Number(), Type.String()]),
  comment: NullStr,
  url: NullStr,
  sessionId: NullStr,
  replayTimestamp: NullNum,
  conversationId: NullStr,
  anonymousId: Type.String(),
  userId: NullStr,
});
export type LowScore = Static<typeof LowScore>;

/** A survey's report: the route's response schema (agent-surveys.ts) and the console's type. */
export const SurveyReport = Type.Object({
  survey: SurveyDefinition,
  range: Type.Object({ from: Type.String(), to: Type.String() }),
  /** Showings with at least one answer (dismissals included). */
  responses: Type.Integer(),
  /** Showings that reached the end. */
  completed: Type.Integer(),
  dismissed: Type.Integer(),
  questions: Type.Array(QuestionReport),
  /** The question the trend, breakdowns and low-score list are about: the first scored one. */
  headline: NullStr,
  /** Customer Loyalty Index: mean over responses that answered all three 0–10 questions. */
  cli: Type.Union([Type.Object({ n: Type.Integer(), mean: NullNum }), Type.Null()]),
  /** The headline score per local day of the site, every day of the range (n 0, score null on a day without answers). */
  trend: Type.Array(Type.Object({ day: Type.String(), n: Type.Integer(), score: NullNum })),
  byPage: Type.Array(Breakdown),
  byChannel: Type.Array(Breakdown),
  /** By the language the survey was shown in (each answer's `locale`; `(unknown)` without one). */
  byLanguage: Type.Array(Breakdown),
  low: Type.Array(LowScore),
});
export type SurveyReport = Static<typeof SurveyReport>;

/** An answer's value as text: `7`, `very` (jsonb strings lose their quotes). */
const V = `a.value #>> '{}'`;
/** The answer is a whole number within its question's scale ($6: question id → [min, max]), or its question has no scale. */
// CASE, not AND: SQL may evaluate AND's operands in any order, and "very"::numeric is an error.
const IN_SCALE = `(CASE WHEN NOT ($6::jsonb ? a.question_id) THEN true
  WHEN jsonb_typeof(a.value) <> 'number' THEN false
  ELSE (a.value #>> '{}')::numeric = trunc((a.value #>> '{}')::numeric)
   AND (a.value #>> '{}')::numeric BETWEEN ($6::jsonb -> a.question_id ->> 0)::numeric AND ($6::jsonb -> a.question_id ->> 1)::numeric END)`;
/** The path of an answer's page, without origin, query or fragment. */
const PATH = `coalesce(nullif(regexp_replace(split_part(split_part(a.url, '#', 1), '?', 1), '^[a-z]+://[^/]+', ''), ''), '/')`;
/** The session's entry channel (the SDK classifies it; ingest keeps it in `sessions`). */
const CHANNEL = `coalesce((SELECT s.channel FROM sessions s WHERE s.site_key = a.site_key AND s.session_id = a.session_id), '(unknown)')`;
/** The language the answer was shown in, as the SDK sent it (kept in the payload). */
const LANGUAGE = `coalesce(nullif(a.payload->>'locale', ''), '(unknown)')`;

const histograms = (rows: { k: string; v: string | null; n: number | string }[]) => {
  const out = new Map<string, Histogram>();
  for (const r of rows) {
    if (r.v === null) continue;
    const h = out.get(r.k) ?? {};
    h[r.v] = (h[r.v] ?? 0) + Number(r.n);
    out.set(r.k, h);
  }
  return out;
};

/** The SQL condition of a low score on the headline question (same rule as `isLowScore`). */
const lowCondition = (type: QuestionType): string | undefined => {
  const low = LOW_SCORES[type];
  if (typeof low === 'string') return `${V} = '${low.replace(/'/g, "''")}'`;
  return low === undefined ? undefined : `${V} ~ '^-?[0-9]+$' AND (${V})::numeric <= ${low}`;
};

/**
 * A survey's figures over a date range, for its current version only: scores
 * of different versions (or scales) are never mixed. Every figure is SQL in
 * the storage layer, the same on PGlite and PostgreSQL.
 */
export async function surveyReport(db: Queryable, siteKey: string, survey: SurveyDefinition, range: Range, timeZone = 'UTC'): Promise<SurveyReport> {
  // $6: each scored question's scale. An answer outside it (a CES of 0, an NPS of 11), or not a
  // number at all (a CES sent as the string "6"), is not an answer to that question: never counted.
  const scales = Object.fromEntries(survey.questions.flatMap((q) => (SCALES[q.type] ? [[q.id, SCALES[q.type]]] : [])));
  const base = `a.site_key = $1 AND a.survey_id = $2 AND a.survey_version = $3 AND a.timestamp >= $4 AND a.timestamp < $5 AND ${IN_SCALE}`;
  const params = [siteKey, survey.id, survey.version, range.from, range.to, JSON.stringify(scales)];
  const scored = survey.questions.filter((q) => scoreQuestion(q.type, {}) !== null);
  const headline: Question | undefined = scored[0];
  const texts = survey.questions.filter((q) => q.type === 'text').map((q) => q.id);

  const [counts, hist] = await Promise.all([
    db.query<{ responses: string; completed: string; dismissed: string }>(
      `SELECT count(DISTINCT a.response_id) AS responses,
              count(DISTINCT a.response_id) FILTER (WHERE (a.payload ->> 'final') = 'true' AND a.question_id <> '$dismissed') AS completed,
              count(DISTINCT a.response_id) FILTER (WHERE a.question_id = '$dismissed') AS dismissed
         FROM survey_answers a WHERE ${base}`,
      params,
    ),
    db.query<{ k: string; v: string | null; n: string }>(
      `SELECT a.question_id AS k, ${V} AS v, count(*) AS n FROM survey_answers a WHERE ${base} AND a.question_id <> '$dismissed' GROUP BY 1, 2`,
      params,
    ),
  ]);
  const byQuestion = histograms(hist.rows);
  const questions: QuestionReport[] = survey.questions.map((q) => ({
    id: q.id,
    type: q.type,
    ...(q.prompt ? { prompt: q.prompt } : {}),
    score: scoreQuestion(q.type, byQuestion.get(q.id) ?? {}),
  }));

  let trend: SurveyReport['trend'] = [];
  let byPage: Breakdown[] = [];
  let byChannel: Breakdown[] = [];
  let byLanguage: Breakdown[] = [];
  let low: LowScore[] = [];
  if (headline) {
    const hp = [...params, headline.id];
    const grouped = async (key: string) => {
      const { rows } = await db.query<{ k: string; v: string; n: string }>(
        `SELECT ${key} AS k, ${V} AS v, count(*) AS n FROM survey_answers a WHERE ${base} AND a.question_id = $7 GROUP BY 1, 2`,
        hp,
      );
      return [...histograms(rows)].map(([k, h]) => {
        const s = scoreQuestion(headline.type, h)!;
        return { key: k, n: s.n, score: s.score };
      });
    };
    const cond = lowCondition(headline.type);
    const [t, p, c, g, l] = await Promise.all([
      grouped(localDaySql('a.timestamp', zoneLiteral(timeZone))),
      grouped(PATH),
      grouped(CHANNEL),
      grouped(LANGUAGE),
      cond
        ? db.query<LowScore>(
            `SELECT a.response_id AS "responseId", ${isoUtc('a.timestamp')} AS timestamp, a.value,
                    (SELECT string_agg(t.value #>> '{}', ' / ') FROM survey_answers t
                      WHERE t.site_key = a.site_key AND t.response_id = a.response_id AND t.question_id = ANY($8::text[])) AS comment,
                    a.url, a.session_id AS "sessionId", a.replay_ts AS "replayTimestamp", a.conversation_id AS "conversationId",
                    a.anonymous_id AS "anonymousId", a.user_id AS "userId"
               FROM survey_answers a WHERE ${base} AND a.question_id = $7 AND ${cond}
              ORDER BY a.timestamp DESC LIMIT 200`,
            [...hp, texts],
          )
        : Promise.resolve({ rows: [] as LowScore[] }),
    ]);
    const byDay = new Map(t.map((r) => [r.key, r]));
    trend = daysBetween(siteDay(Date.parse(range.from), timeZone), siteDay(Date.parse(range.to) - 1, timeZone)).map((day) => ({ day, n: byDay.get(day)?.n ?? 0, score: byDay.get(day)?.score ?? null }));
    const top = (b: Breakdown[]) => b.sort((x, y) => y.n - x.n || x.key.localeCompare(y.key)).slice(0, 50);
    byPage = top(p);
    byChannel = top(c);
    byLanguage = top(g);
    low = l.rows.map((r) => ({ ...r, replayTimestamp: r.replayTimestamp === null ? null : Number(r.replayTimestamp) }));
  }

  let cli: SurveyReport['cli'] = null;
  const ids = (['nps', 'cli_buy', 'cli_try'] as const).map((t) => survey.questions.find((q) => q.type === t)?.id);
  if (ids[1] && ids[2] && ids[0]) {
    const { rows } = await db.query<{ a: string | null; b: string | null; c: string | null }>(
      `SELECT max(${V}) FILTER (WHERE a.question_id = $7) AS a, max(${V}) FILTER (WHERE a.question_id = $8) AS b, max(${V}) FILTER (WHERE a.question_id = $9) AS c
         FROM survey_answers a WHERE ${base} GROUP BY a.response_id`,
      [...params, ...ids],
    );
    const values = rows.map((r) => cliOf(r.a === null ? undefined : +r.a, r.b === null ? undefined : +r.b, r.c === null ? undefined : +r.c)).filter((x): x is number => x !== undefined);
    cli = { n: values.length, mean: values.length ? Math.round((100 * values.reduce((s, x) => s + x, 0)) / values.length) / 100 : null };
  }

  const c = counts.rows[0]!;
  return {
    survey,
    range,
    responses: Number(c.responses),
    completed: Number(c.completed),
    dismissed: Number(c.dismissed),
    questions,
    headline: headline?.id ?? null,
    cli,
    trend,
    byPage,
    byChannel,
    byLanguage,
    low,
  };
}

/** Every answer of a survey in the range, one CSV row each (RFC 4180). */
export async function surveyAnswersCsv(db: Queryable, siteKey: string, survey: SurveyDefinition, range: Range): Promise<string> {
  const { rows } = await db.query<Record<string, string | number | null>>(
    `SELECT a.response_id, ${isoUtc('a.timestamp')} AS timestamp, a.survey_version, a.question_id, ${V} AS value,
            a.anonymous_id, a.user_id, a.session_id, a.replay_ts, a.conversation_id, a.url, ${CHANNEL} AS channel
       FROM survey_answers a
      WHERE a.site_key = $1 AND a.survey_id = $2 AND a.timestamp >= $3 AND a.timestamp < $4
      ORDER BY a.timestamp, a.id`,
    [siteKey, survey.id, range.from, range.to],
  );
  const types = new Map(survey.questions.map((q) => [q.id, q.type]));
  const header = ['response_id', 'timestamp', 'survey_version', 'question_id', 'question_type', 'value', 'anonymous_id', 'user_id', 'session_id', 'replay_ts', 'conversation_id', 'url', 'channel'];
  return toCsv(header, rows.map((r) => ({ ...r, question_type: types.get(String(r.question_id)) ?? '' })));
}
