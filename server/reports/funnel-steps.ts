/**
 * The funnel's state machine, PostHog's sequential semantics
 * (../shared/research/journeys.md §1): steps in order with anything between;
 * every step-1 event starts an attempt; the conversion window runs from that
 * step-1 event (not step to step); a unit counts at the furthest step any
 * attempt reached, with that attempt's events. Pure: the same code whatever
 * the store.
 */

/** One candidate event of a unit, in time order: which steps it matches (bit i = step i). */
export interface StepEvent {
  at: number;
  mask: number;
  sessionId: string | null;
}

/** A unit's best attempt: the event that met each step reached, in order. */
export type Attempt = StepEvent[];

export const bestAttempt = (events: StepEvent[], steps: number, windowMs: number): Attempt => {
  let best: Attempt = [];
  for (let start = 0; start < events.length && best.length < steps; start++) {
    if (!(events[start]!.mask & 1)) continue;
    const attempt: Attempt = [events[start]!];
    const end = events[start]!.at + windowMs;
    // Greedy: the earliest event for each next step is never worse for the steps after it.
    for (let i = start + 1; i < events.length && attempt.length < steps; i++) {
      const e = events[i]!;
      if (e.at > end) break;
      if (e.mask & (1 << attempt.length)) attempt.push(e);
    }
    if (attempt.length > best.length) best = attempt;
  }
  return best;
};

/** The median of a list of numbers, or null for none. */
export const median = (xs: number[]): number | null => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * `/shop/*` → a test of a page path: `*` is any run of characters, anything
 * else literal; a pattern matches the whole path. Also what SQL's LIKE gets
 * (`likeOf`), so the database sends only candidates and this decides.
 */
export const pathTest = (pattern: string): ((path: string) => boolean) => {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (path) => re.test(path);
};
export const likeOf = (pattern: string): string => pattern.replace(/[\\%_]/g, '\\$&').replace(/\*/g, '%');
/**
 * What SQL's `LIKE likeOf(pattern)` matches, in the server: `*` is any run of
 * characters, line breaks included (a regex's `.` is not), the rest literal.
 */
export const likeTest = (pattern: string): ((path: string) => boolean) => {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')}$`);
  return (path) => re.test(path);
};
