/**
 * The server's one source of "now" for facts: when a batch was received, when a
 * conversation or message was written, where "today" and "online" begin, when
 * tokens and agent sessions expire. Tests pass their own (test/support/clock.ts)
 * so that every date they assert is derived from an instant they chose — never
 * from the wall calendar mixed with literals.
 *
 * Mechanisms that only measure elapsed time (caches, rate limits, the delivery
 * worker's leases and backoff, which compare the database's own `now()` with
 * itself) keep the real clock: they state no fact a report shows.
 */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** `now` as the ISO 8601 UTC string the store and the protocol use. */
export const isoNow = (clock: Clock): string => new Date(clock()).toISOString();
