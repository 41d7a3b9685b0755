/**
 * Token buckets per key (site + client address), in memory. Each instance
 * limits on its own: behind a load balancer the effective limit is the sum,
 * which docs/deploy.md states.
 *
 * Why not @fastify/rate-limit (11.x): its store counts requests in fixed
 * windows (`max` per `timeWindow`), and the documented limit is a bucket —
 * 50 requests/s sustained with bursts of 200 (docs/protocol.md §7). Measured
 * (bench/experiments/rate-limit-window.mjs, the plugin 11.2.0 against this class):
 *
 * | timeline                                  | max 200 / 4 s | max 50 / 1 s | this bucket |
 * |-------------------------------------------|------:|------:|------:|
 * | an outbox flushed after a reconnect: 200  | 200 ok | **50 ok** | 200 ok |
 * | at a window's edge: 399 within 0.15 s      | **305 ok** | 50 ok | 207 ok |
 * | burst spent, then 10/s for 2 s             | **20 of 20 refused** | 5 refused | 0 refused |
 *
 * No window does all three. And chat's bucket is the verified visitor (the
 * token in the body), known only once the route has checked it, which the
 * plugin's `keyGenerator` would have to verify a second time. Retry-After is
 * the seconds until one token is back, which a window cannot say.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}

  /** Takes one token; returns 0 when allowed, else the seconds to wait. */
  take(key: string, now = Date.now()): number {
    if (this.perSecond <= 0) return 0;
    let b = this.buckets.get(key);
    if (!b) {
      // Bound memory under an address-spraying client: forget everyone, start fresh.
      if (this.buckets.size > 50_000) this.buckets.clear();
      b = { tokens: this.burst, at: now };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perSecond));
  }
}

export type TrustProxy = boolean | string[] | ((address: string, hop: number) => boolean);

/**
 * Fastify's `trustProxy` from `TOUCHPOINT_TRUST_PROXY`. Off by default: a
 * client could otherwise choose its own address with `X-Forwarded-For` and
 * step around the rate limit. `true` trusts any proxy, a number that many
 * hops, anything else is a comma-separated list of proxy addresses or CIDRs.
 */
export function trustProxyFromEnv(value = process.env.TOUCHPOINT_TRUST_PROXY): TrustProxy {
  const v = value?.trim() ?? '';
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return (_address, hop) => hop < hops;
  }
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}
