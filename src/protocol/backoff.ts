/**
 * Delay before retry `attempt` (0-based): exponential from `min`, capped at
 * `max`, with ±25 % jitter so that many clients recovering from one outage
 * don't retry in lockstep. A server's `Retry-After` wins when it is longer.
 */
export const backoff = (attempt: number, retryAfterMs = 0, min = 1_000, max = 5 * 60_000, random = Math.random): number =>
  Math.max(retryAfterMs, Math.min(max, min * 2 ** attempt) * (0.75 + random() * 0.5));
