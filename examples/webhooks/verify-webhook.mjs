// Verifying a Touchpoint webhook in Node (no dependencies). Copy into your receiver.
//
//   const verify = createVerifier(process.env.TOUCHPOINT_WEBHOOK_SECRET);
//   const ok = verify(req.headers['touchpoint-signature'], rawBody); // rawBody: the exact bytes, as a string
//
// Refuses a wrong signature, a timestamp over 5 minutes away (a captured
// request replayed later) and an event id already seen (a replay within the window).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TOLERANCE_SECONDS = 300;

export function createVerifier(secret, { now = () => Date.now(), seen = new Map() } = {}) {
  return function verify(header, rawBody) {
    const parts = Object.fromEntries(String(header ?? '').split(',').map((p) => p.trim().split('=', 2)));
    const t = Number(parts.t);
    if (!Number.isInteger(t) || !parts.v1 || Math.abs(now() / 1000 - t) > TOLERANCE_SECONDS) return false;
    const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex'));
    const given = Buffer.from(parts.v1);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
    let id;
    try {
      id = JSON.parse(rawBody).id;
    } catch {
      return false;
    }
    // Remember ids for the tolerance window: older ones are refused by their timestamp anyway.
    for (const [k, at] of seen) if (at < t - TOLERANCE_SECONDS) seen.delete(k);
    if (seen.has(id)) return false;
    seen.set(id, t);
    return true;
  };
}
