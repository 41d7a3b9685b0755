import Type, { type Static } from 'typebox';
import { scoreQuestion, type Histogram, type Score, type SurveyDefinition } from 'touchpoint/protocol';
import type { Queryable } from '../store/store.js';
import { describeUserAgent } from '../lib/describe-user-agent.js';
import { bestAttempt, likeTest, median, pathTest, type StepEvent } from './funnel-steps.js';
import { journeysOf, type Candidate } from './funnel-journeys.js';
import { bucketsOf, helpBreakdown } from './funnel-breakdown.js';
import { FRICTION, type FrictionEvent } from './friction.js';

/** A funnel step: a page whose path matches a pattern (`*` = anything), or a tracked event by name. */
export const FunnelStep = Type.Union([
  Type.Object({ page: Type.String({ minLength: 1, maxLength: 500, pattern: '^/' }) }, { additionalProperties: false }),
  Type.Object({ event: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
]);
export type FunnelStep = Static<typeof FunnelStep>;

export const FunnelQuery = Type.Object(
  {
    steps: Type.Array(FunnelStep, { minItems: 2, maxItems: 10 }),
    /** `customer`: a person across devices (verified identities stitched); `session`: each visit on its own. */
    unit: Type.Optional(Type.Union([Type.Literal('customer'), Type.Literal('session')])),
    /** From each step-1 event, how long the rest may take. */
    windowDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
    /** `help`: units a real-time help rule fired for (by rule) beside those it did not — conversion with and without help. */
    breakdown: Type.Optional(Type.Union([Type.Literal('firstTouch'), Type.Literal('lastTouch'), Type.Literal('device'), Type.Literal('help')])),
  },
  { additionalProperties: false },
);
export type FunnelQuery = Static<typeof FunnelQuery>;

/** Drop-outs shown per step, each a replay one click away (PostHog keeps 10 too). */
const EXAMPLES = 10;

export interface FunnelStepResult {
  label: string;
  /** Units that reached this step. */
  count: number;
  /** % of those who entered the funnel (step 1), and of the step before. */
  conversion: number | null;
  fromPrevious: number | null;
  /** Reached the step before and not this one. */
  dropped: number;
  /** Median seconds from the step before, over those who reached this one. */
  medianSeconds: number | null;
  /** What happened at this step to the units that reached it: friction on its page, chats opened there. */
  friction: Record<FrictionEvent, number>;
  chats: number;
  /**
   * The CES and CSAT answers given on the step's page (any time) in those
   * sessions, scored as the survey report scores them (docs/surveys.md):
   * a page step only; `n` 0 where none was given.
   */
  answers: Record<StepAnswerType, Score>;
  /**
   * Who left here: the session of their last completed step, at the moment to
   * watch — their first friction after that step (`struggle` names it), else
   * the step itself. A replay link lands there.
   */
  dropouts: { sessionId: string | null; at: string; struggle?: string }[];
}

export interface FunnelReport {
  unit: 'customer' | 'session';
  windowDays: number;
  range: { from: string; to: string };
  steps: FunnelStepResult[];
  breakdown?: { value: string; counts: number[] }[];
}

/** The answers a step shows: how easy it was, and how satisfied they were. */
const ANSWER_TYPES = ['ces', 'csat'] as const;
export type StepAnswerType = (typeof ANSWER_TYPES)[number];

const labelOf = (s: FunnelStep) => ('page' in s ? s.page : s.event);
const isoOf = (ms: number) => new Date(ms).toISOString();

/**
 * A funnel over a date range (docs/console.md#funnels): the journeys of the
 * units that met step 1 in the range (funnel-journeys.ts: found by index,
 * read from the sessions' summaries), each unit's candidate events (pages
 * matching a step's pattern, events named by one) in time order, then the
 * state machine per unit. Units are
 * stitched customers (a verified identity joins devices; an unverified claim
 * does not) or sessions. The range bounds the step-1 event; later steps may
 * fall up to the window after it.
 */
export async function funnelReport(db: Queryable, siteKey: string, q: FunnelQuery, range: { from: string; to: string }, surveys: readonly SurveyDefinition[] = []): Promise<FunnelReport> {
  const unit = q.unit ?? 'customer';
  const windowDays = q.windowDays ?? 14;
  const windowMs = windowDays * 86_400_000;
  const until = new Date(Date.parse(range.to) + windowMs).toISOString();
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  const untilMs = Date.parse(until);
  const detail = q.breakdown === 'firstTouch' ? 'firstChannel' : q.breakdown === 'lastTouch' ? 'lastChannel' : q.breakdown === 'device' ? 'userAgent' : undefined;
  // Which steps an event meets (bit k = step k): a page view by its path, a track by its name, each path or name tested once;
  // the range and window bound them: step 1 inside the range, later steps on into the window.
  const bits = (meets: (s: FunnelStep) => boolean) => q.steps.reduce((m, s, k) => (meets(s) ? m | (1 << k) : m), 0);
  const pageTests = new Map<FunnelStep, (path: string) => boolean>(q.steps.flatMap((s) => ('page' in s ? [[s, pathTest(s.page)] as const] : [])));
  const byPath = new Map<string, number>();
  const byName = new Map<string | null, number>();
  const candidate: Candidate = (type, name, path, at) => {
    if (at < from || at >= untilMs) return 0;
    let m = 0;
    if (type === 'page') {
      m = byPath.get(path) ?? -1;
      if (m < 0) byPath.set(path, (m = bits((s) => pageTests.get(s)?.(path) ?? false)));
    } else if (type === 'track') {
      m = byName.get(name) ?? -1;
      if (m < 0) byName.set(name, (m = bits((s) => 'event' in s && s.event === name)));
    }
    return at >= to ? m & ~1 : m;
  };
  const { units, sessions } = await journeysOf(db, siteKey, q.steps, unit, range, until, FRICTION, candidate, detail);

  const attempts: { unit: string; attempt: StepEvent[] }[] = [];
  for (const u of [...units.keys()].sort()) {
    const events = units.get(u)!.sort((x, y) => x.at - y.at || x.id - y.id);
    const attempt = bestAttempt(events, q.steps.length, windowMs);
    if (attempt.length) attempts.push({ unit: u, attempt });
  }

  // What happened at each step, in the sessions of those who reached it: friction on the step's page (any time), chats opened there.
  const sessionsAt = q.steps.map((_, k) => {
    const at = new Set<string>();
    for (const { attempt } of attempts) if (attempt[k]?.sessionId) at.add(attempt[k].sessionId);
    return at;
  });
  const frictionOf = (id: string) => sessions.get(id)?.friction ?? [];
  const friction = q.steps.map((s, k) => {
    const n = Object.fromEntries(FRICTION.map((f) => [f, 0])) as FunnelStepResult['friction'];
    if (!('page' in s)) return n;
    const like = likeTest(s.page);
    for (const id of sessionsAt[k]!) for (const f of frictionOf(id)) if (like(f.path)) n[f.name as FrictionEvent]++;
    return n;
  });
  // The chats and the CES/CSAT answers of every page step's sessions, one query each, then each step's own (on its page).
  // As the survey results read them: the survey's current version only (a question's type may differ in another), numbers only.
  // Survey and question ids never hold a `/` (their schema's pattern): `survey/version/question` is unambiguous.
  const typeOf = new Map<string, StepAnswerType>(
    surveys.flatMap((sv) => sv.questions.flatMap((x) => ((ANSWER_TYPES as readonly string[]).includes(x.type) ? [[`${sv.id}/${sv.version}/${x.id}`, x.type as StepAnswerType] as const] : []))),
  );
  const pageSessions = [...new Set(q.steps.flatMap((s, k) => ('page' in s ? [...sessionsAt[k]!] : [])))];
  const [{ rows: chatRows }, { rows: answerRows }] = await Promise.all([
    pageSessions.length
      ? db.query<{ session_id: string; page: string | null }>(`SELECT session_id, page FROM conversations WHERE site_key = $1 AND session_id = ANY($2::text[])`, [siteKey, pageSessions])
      : { rows: [] },
    pageSessions.length && typeOf.size
      ? db.query<{ session_id: string; url: string | null; q: string; v: string | null }>(
          // survey_id first: the (site, survey, time) index, not every answer of the site.
          `SELECT session_id, url, survey_id || '/' || survey_version || '/' || question_id AS q, value #>> '{}' AS v FROM survey_answers
            WHERE site_key = $1 AND survey_id = ANY($4::text[]) AND session_id = ANY($2::text[]) AND url IS NOT NULL
              AND survey_id || '/' || survey_version || '/' || question_id = ANY($3::text[]) AND jsonb_typeof(value) = 'number'`,
          [siteKey, pageSessions, [...typeOf.keys()], [...new Set(surveys.map((sv) => sv.id))]],
        )
      : { rows: [] },
  ]);
  // Each chat's and answer's page path, parsed once for every step that tests it (none for a missing or relative URL).
  const pathOf = (url: string | null) => {
    if (!url) return undefined;
    try {
      return new URL(url).pathname;
    } catch {
      return undefined;
    }
  };
  const chatPaths = chatRows.map((r) => ({ session: r.session_id, path: pathOf(r.page) }));
  const answerPaths = answerRows.map((r) => ({ session: r.session_id, path: pathOf(r.url), type: typeOf.get(r.q)!, value: r.v }));
  const here = q.steps.map((s, k) => {
    const histograms = Object.fromEntries(ANSWER_TYPES.map((t) => [t, {} as Histogram])) as Record<StepAnswerType, Histogram>;
    let chats = 0;
    if ('page' in s) {
      const at = sessionsAt[k]!;
      const on = pathTest(s.page);
      const onStep = (r: { session: string; path: string | undefined }) => r.path !== undefined && at.has(r.session) && on(r.path);
      chats = chatPaths.filter(onStep).length;
      for (const r of answerPaths) if (r.value !== null && onStep(r)) histograms[r.type][r.value] = (histograms[r.type][r.value] ?? 0) + 1;
    }
    return { chats, answers: Object.fromEntries(ANSWER_TYPES.map((t) => [t, scoreQuestion(t, histograms[t])!])) as Record<StepAnswerType, Score> };
  });

  const first = attempts.length;
  const steps: FunnelStepResult[] = q.steps.map((s, k) => {
    const reached = attempts.filter((a) => a.attempt.length > k);
    const before = k ? attempts.filter((a) => a.attempt.length === k) : [];
    const prev = k ? attempts.filter((a) => a.attempt.length > k - 1).length : first;
    return {
      label: labelOf(s),
      count: reached.length,
      conversion: first ? Math.round((reached.length / first) * 1000) / 10 : null,
      fromPrevious: k ? (prev ? Math.round((reached.length / prev) * 1000) / 10 : null) : null,
      dropped: before.length,
      medianSeconds: k ? median(reached.map((a) => (a.attempt[k]!.at - a.attempt[k - 1]!.at) / 1000)) : null,
      friction: friction[k]!,
      ...here[k]!,
      dropouts: before
        .map((a) => a.attempt.at(-1)!)
        .sort((x, y) => y.at - x.at)
        .slice(0, EXAMPLES)
        .map((e) => ({ sessionId: e.sessionId, at: new Date(e.at).toISOString() })),
    };
  });

  // The moment to watch each drop-out: its first friction after its last step.
  for (const d of steps.flatMap((x) => x.dropouts)) {
    const f = d.sessionId ? frictionOf(d.sessionId).find((r) => isoOf(r.at) >= d.at) : undefined;
    if (f) Object.assign(d, { at: isoOf(f.at), struggle: f.name });
  }

  let breakdown: FunnelReport['breakdown'];
  if (q.breakdown === 'help') breakdown = await helpBreakdown(db, siteKey, attempts, q.steps.length);
  else if (q.breakdown) {
    const valueOf = ({ attempt }: { attempt: StepEvent[] }) => {
      const id = attempt[0]!.sessionId;
      const r = id ? sessions.get(id) : undefined;
      if (q.breakdown === 'device') return r ? (/\((mobile|tablet|desktop)\)$/.exec(describeUserAgent(r.userAgent))?.[1] ?? 'unknown') : 'unknown';
      return (q.breakdown === 'firstTouch' ? r?.firstChannel : r?.lastChannel) ?? 'unknown';
    };
    breakdown = bucketsOf(attempts, valueOf, q.steps.length);
  }
  return { unit, windowDays, range, steps, ...(breakdown ? { breakdown } : {}) };
}
