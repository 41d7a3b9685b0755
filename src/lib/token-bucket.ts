/** Events a second, and the burst allowed (PostHog's client's numbers). */
const PER_SECOND = 10;
const BURST = 100;

/**
 * Guards against runaway loops in host code (a `track()` in a render loop):
 * 10 events a second with bursts of 100, as PostHog's client does.
 */
export const tokenBucket = () => {
  let tokens = BURST;
  let at = Date.now();
  return (): boolean => {
    const t = Date.now();
    tokens = Math.min(BURST, tokens + ((t - at) / 1000) * PER_SECOND);
    at = t;
    return tokens >= 1 ? (tokens--, true) : false;
  };
};
