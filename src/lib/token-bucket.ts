/**
 * Guards against runaway loops in host code (a `track()` in a render loop):
 * 10 events a second with bursts of 100, as PostHog's client does.
 */
export const tokenBucket = (perSecond = 10, burst = 100, now = () => Date.now()) => {
  let tokens = burst;
  let at = now();
  return (): boolean => {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - at) / 1000) * perSecond);
    at = t;
    return tokens >= 1 ? (tokens--, true) : false;
  };
};
