import { createHmac, timingSafeEqual } from 'node:crypto';

/** Hex HMAC-SHA256 of `message` keyed with `secret`. */
export function hmacHex(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}

/** Constant-time comparison of two hex digests (no early exit on the first differing byte). */
export function hexEquals(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** Whether `userHash` is the site's HMAC of `userId`: the recipe in docs/protocol.md. */
export function verifyUserHash(siteSecret: string, userId: string, userHash: string): boolean {
  return hexEquals(hmacHex(siteSecret, userId), userHash);
}
