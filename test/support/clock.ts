import type { Clock } from '../../server/lib/clock.js';

/** A clock a test controls: it stands still at the instant it was given until the test moves it. */
export interface TestClock extends Clock {
  /** Moves to an instant (ISO 8601 or ms since the epoch). */
  set(at: string | number): void;
  /** Moves forward (or back, with a negative `ms`). */
  advance(ms: number): void;
  /** Now, `offsetMs` from now, as an ISO 8601 UTC string. */
  iso(offsetMs?: number): string;
}

const ms = (at: string | number) => {
  const t = typeof at === 'number' ? at : Date.parse(at);
  if (Number.isNaN(t)) throw new Error(`testClock: not an instant: ${at}`);
  return t;
};

export const testClock = (start: string | number): TestClock => {
  let t = ms(start);
  const clock = (() => t) as TestClock;
  clock.set = (at) => void (t = ms(at));
  clock.advance = (d) => void (t += d);
  clock.iso = (offsetMs = 0) => new Date(t + offsetMs).toISOString();
  return clock;
};
