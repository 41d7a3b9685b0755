import { HELP_RULE_FIRED, HELP_RULE_HELD_OUT } from 'touchpoint/protocol';
import type { Queryable } from '../store/store.js';
import type { FunnelReport } from './funnel.js';
import type { StepEvent } from './funnel-steps.js';

/** One unit's (customer's or session's) best attempt at the funnel: its steps reached, in order. */
export type UnitAttempt = { unit: string; attempt: StepEvent[] };

/** Counts per step in each bucket, the biggest first. */
export const bucketsOf = (attempts: UnitAttempt[], valueOf: (a: UnitAttempt) => string, steps: number): NonNullable<FunnelReport['breakdown']> => {
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
 * a session of its attempt, `held out: <rule id>` for one the rule matched
 * but held out (its holdout, docs/sdk.md#help-rules), the first of either
 * if several; `no help` for the others. `help` beside `no help` is a
 * correlation (a rule fires for those who struggle); `help` beside `held
 * out` of the same rule is the rule's effect: the same rule matched both, a
 * fixed share of visitors chose the group (docs/console.md#help-rules).
 */
export async function helpBreakdown(db: Queryable, siteKey: string, attempts: UnitAttempt[], steps: number): Promise<NonNullable<FunnelReport['breakdown']>> {
  const sessions = [...new Set(attempts.flatMap((a) => a.attempt.flatMap((e) => (e.sessionId ? [e.sessionId] : []))))];
  const { rows } = sessions.length
    ? await db.query<{ session_id: string; name: string; rule: string | null }>(
        `SELECT DISTINCT ON (session_id) session_id, name, payload #>> '{properties,ruleId}' AS rule FROM events
          WHERE site_key = $1 AND type = 'track' AND name = ANY($2::text[]) AND session_id = ANY($3::text[]) ORDER BY session_id, timestamp, id`,
        [siteKey, [HELP_RULE_FIRED, HELP_RULE_HELD_OUT], sessions],
      )
    : { rows: [] };
  const group = new Map(rows.map((r) => [r.session_id, `${r.name === HELP_RULE_HELD_OUT ? 'held out' : 'help'}: ${r.rule ?? '?'}`]));
  return bucketsOf(attempts, (a) => group.get(a.attempt.find((e) => e.sessionId && group.has(e.sessionId))?.sessionId ?? '') ?? 'no help', steps);
}
