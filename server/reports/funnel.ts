import Type, { type Static } from 'typebox';
import { HELP_RULE_FIRED } from 'touchpoint/protocol';
import type { Queryable } from '../store/store.js';
import { describeUserAgent } from '../lib/describe-user-agent.js';
import { isoUtc } from '../store/iso-utc.js';
import { bestAttempt, likeOf, median, pathTest, type StepEvent } from './funnel-steps.js';

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

const FRICTION = ['Rage Click', 'Dead Click', 'Error Click'] as const;
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
  friction: Record<(typeof FRICTION)[number], number>;
  chats: number;
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

const labelOf = (s: FunnelStep) => ('page' in s ? s.page : s.event);

/**
 * A funnel over a date range (docs/console.md#funnels): one scan of the
 * candidate events (pages matching a step's pattern, events named by one),
 * ordered by unit and time, then the state machine per unit. Units are
 * stitched customers (a verified identity joins devices; an unverified claim
 * does not) or sessions. The range bounds the step-1 event; later steps may
 * fall up to the window after it.
 */
export async function funnelReport(db: Queryable, siteKey: string, q: FunnelQuery, range: { from: string; to: string }): Promise<FunnelReport> {
  const unit = q.unit ?? 'customer';
  const windowDays = q.windowDays ?? 14;
  const windowMs = windowDays * 86_400_000;
  const patterns = q.steps.flatMap((s) => ('page' in s ? [s.page] : []));
  const names = q.steps.flatMap((s) => ('event' in s ? [s.event] : []));
  const until = new Date(Date.parse(range.to) + windowMs).toISOString();
  const PATH = `coalesce(e.payload #>> '{context,page,path}', '/')`;
  const UNIT =
    unit === 'session'
      ? `coalesce(e.session_id, 'a:' || e.anonymous_id)`
      : `coalesce((SELECT 'u:' || i.user_id FROM identities i WHERE i.site_key = e.site_key AND i.anonymous_id = e.anonymous_id AND i.verified ORDER BY i.linked_at DESC LIMIT 1), 'a:' || e.anonymous_id)`;
  const { rows } = await db.query<{ unit: string; at: string; session_id: string | null; type: string; name: string | null; path: string }>(
    `SELECT ${UNIT} AS unit, (extract(epoch FROM e.timestamp) * 1000)::float8 AS at, e.session_id, e.type, e.name, ${PATH} AS path
       FROM events e
      WHERE e.site_key = $1 AND e.timestamp >= $2 AND e.timestamp < $3
        AND ((e.type = 'page' AND ${PATH} LIKE ANY($4::text[])) OR (e.type = 'track' AND e.name = ANY($5::text[])))
      ORDER BY 1, 2, e.id`,
    [siteKey, range.from, until, patterns.map(likeOf), names],
  );
  const tests = q.steps.map((s) => {
    if ('page' in s) {
      const t = pathTest(s.page);
      return (r: (typeof rows)[number]) => r.type === 'page' && t(r.path);
    }
    return (r: (typeof rows)[number]) => r.type === 'track' && r.name === s.event;
  });
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);

  const attempts: { unit: string; attempt: StepEvent[] }[] = [];
  for (let i = 0; i < rows.length; ) {
    const u = rows[i]!.unit;
    const events: StepEvent[] = [];
    for (; i < rows.length && rows[i]!.unit === u; i++) {
      const r = rows[i]!;
      const mask = tests.reduce((m, t, k) => (t(r) ? m | (1 << k) : m), 0);
      // Step 1 only starts inside the range; later steps may run on into the window.
      const at = Number(r.at);
      if (mask && !(mask === 1 && (at < from || at >= to))) events.push({ at, mask: at < from || at >= to ? mask & ~1 : mask, sessionId: r.session_id });
    }
    const attempt = bestAttempt(events, q.steps.length, windowMs);
    if (attempt.length) attempts.push({ unit: u, attempt });
  }

  // What happened at each step, in the sessions of those who reached it.
  const sessionsAt = q.steps.map((_, k) => [...new Set(attempts.flatMap((a) => (a.attempt[k]?.sessionId ? [a.attempt[k].sessionId] : [])))]);
  const [friction, chats] = await Promise.all([
    Promise.all(
      q.steps.map((s, k) =>
        'page' in s && sessionsAt[k]!.length
          ? db.query<{ name: string; n: number }>(
              `SELECT e.name, count(*)::int AS n FROM events e
                WHERE e.site_key = $1 AND e.session_id = ANY($2::text[]) AND e.name = ANY($3::text[]) AND ${PATH} LIKE $4 GROUP BY 1`,
              [siteKey, sessionsAt[k], FRICTION, likeOf(s.page)],
            )
          : Promise.resolve({ rows: [] as { name: string; n: number }[] }),
      ),
    ),
    Promise.all(
      q.steps.map((s, k) =>
        'page' in s && sessionsAt[k]!.length
          ? db.query<{ page: string | null }>(`SELECT page FROM conversations WHERE site_key = $1 AND session_id = ANY($2::text[])`, [siteKey, sessionsAt[k]])
          : Promise.resolve({ rows: [] as { page: string | null }[] }),
      ),
    ),
  ]);

  const first = attempts.length;
  const steps: FunnelStepResult[] = q.steps.map((s, k) => {
    const reached = attempts.filter((a) => a.attempt.length > k);
    const before = k ? attempts.filter((a) => a.attempt.length === k) : [];
    const prev = k ? attempts.filter((a) => a.attempt.length > k - 1).length : first;
    const pathOk = 'page' in s ? pathTest(s.page) : () => false;
    return {
      label: labelOf(s),
      count: reached.length,
      conversion: first ? Math.round((reached.length / first) * 1000) / 10 : null,
      fromPrevious: k ? (prev ? Math.round((reached.length / prev) * 1000) / 10 : null) : null,
      dropped: before.length,
      medianSeconds: k ? median(reached.map((a) => (a.attempt[k]!.at - a.attempt[k - 1]!.at) / 1000)) : null,
      friction: Object.fromEntries(FRICTION.map((f) => [f, friction[k]!.rows.find((r) => r.name === f)?.n ?? 0])) as FunnelStepResult['friction'],
      chats: chats[k]!.rows.filter((r) => {
        if (!r.page) return false;
        try {
          return pathOk(new URL(r.page).pathname);
        } catch {
          return false;
        }
      }).length,
      dropouts: before
        .map((a) => a.attempt.at(-1)!)
        .sort((x, y) => y.at - x.at)
        .slice(0, EXAMPLES)
        .map((e) => ({ sessionId: e.sessionId, at: new Date(e.at).toISOString() })),
    };
  });

  // The moment to watch each drop-out: its first friction after its last step.
  const left = steps.flatMap((x) => x.dropouts).filter((d) => d.sessionId);
  if (left.length) {
    const { rows: fr } = await db.query<{ session_id: string; name: string; at: string }>(
      `SELECT e.session_id, e.name, ${isoUtc('e.timestamp')} AS at FROM events e
        WHERE e.site_key = $1 AND e.session_id = ANY($2::text[]) AND e.name = ANY($3::text[]) ORDER BY e.timestamp, e.id`,
      [siteKey, [...new Set(left.map((d) => d.sessionId!))], FRICTION],
    );
    for (const d of left) {
      const f = fr.find((r) => r.session_id === d.sessionId && r.at >= d.at);
      if (f) Object.assign(d, { at: f.at, struggle: f.name });
    }
  }

  let breakdown: FunnelReport['breakdown'];
  if (q.breakdown === 'help') breakdown = await helpBreakdown(db, siteKey, attempts, q.steps.length);
  else if (q.breakdown) {
    const entry = [...new Set(attempts.map((a) => a.attempt[0]!.sessionId).filter((x): x is string => !!x))];
    const { rows: ss } = await db.query<{ session_id: string; first_channel: string | null; last_channel: string | null; user_agent: string | null }>(
      `SELECT session_id, first_channel, last_channel, user_agent FROM sessions WHERE site_key = $1 AND session_id = ANY($2::text[])`,
      [siteKey, entry],
    );
    const bySession = new Map(ss.map((r) => [r.session_id, r]));
    const valueOf = ({ attempt }: { attempt: StepEvent[] }) => {
      const id = attempt[0]!.sessionId;
      const r = id ? bySession.get(id) : undefined;
      if (q.breakdown === 'device') return r ? (/\((mobile|tablet|desktop)\)$/.exec(describeUserAgent(r.user_agent))?.[1] ?? 'unknown') : 'unknown';
      return (q.breakdown === 'firstTouch' ? r?.first_channel : r?.last_channel) ?? 'unknown';
    };
    breakdown = bucketsOf(attempts, valueOf, q.steps.length);
  }
  return { unit, windowDays, range, steps, ...(breakdown ? { breakdown } : {}) };
}

type UnitAttempt = { unit: string; attempt: StepEvent[] };

/** Counts per step in each bucket, the biggest first. */
const bucketsOf = (attempts: UnitAttempt[], valueOf: (a: UnitAttempt) => string, steps: number): NonNullable<FunnelReport['breakdown']> => {
  const buckets = new Map<string, number[]>();
  for (const a of attempts) {
    const v = valueOf(a);
    const c = buckets.get(v) ?? Array.from({ length: steps }, () => 0);
    for (let k = 0; k < a.attempt.length; k++) c[k]!++;
    buckets.set(v, c);
  }
  return [...buckets].map(([value, counts]) => ({ value, counts })).sort((x, y) => y.counts[0]! - x.counts[0]! || x.value.localeCompare(y.value));
};

/**
 * Help as a breakdown: `help: <rule id>` for a unit a help rule fired for in
 * a session of its attempt (the first rule to fire, if several), `no help`
 * for the others. Correlation, not cause: a rule fires for those who
 * struggle, so compare a rule's bucket with the struggling units it did not
 * reach (docs/console.md#help-rules).
 */
async function helpBreakdown(db: Queryable, siteKey: string, attempts: UnitAttempt[], steps: number): Promise<NonNullable<FunnelReport['breakdown']>> {
  const sessions = [...new Set(attempts.flatMap((a) => a.attempt.flatMap((e) => (e.sessionId ? [e.sessionId] : []))))];
  const { rows } = sessions.length
    ? await db.query<{ session_id: string; rule: string | null }>(
        `SELECT DISTINCT ON (session_id) session_id, payload #>> '{properties,ruleId}' AS rule FROM events
          WHERE site_key = $1 AND type = 'track' AND name = $2 AND session_id = ANY($3::text[]) ORDER BY session_id, timestamp, id`,
        [siteKey, HELP_RULE_FIRED, sessions],
      )
    : { rows: [] };
  const rule = new Map(rows.map((r) => [r.session_id, r.rule ?? '?']));
  return bucketsOf(
    attempts,
    (a) => {
      const hit = a.attempt.find((e) => e.sessionId && rule.has(e.sessionId));
      return hit ? `help: ${rule.get(hit.sessionId!)}` : 'no help';
    },
    steps,
  );
}
