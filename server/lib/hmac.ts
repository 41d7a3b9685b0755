import { createHmac, timingSafeEqual } from 'node:crypto';

/** Hex HMAC-SHA256 of `message` keyed with `secret`. */
export function hmacHex(secret: string, message: string): string {
  return createHmac('sha256', secret).update(message).digest('hex');
}

const HEX = /^[0-9a-f]+$/;

/**
 * Constant-time comparison of two lowercase hex digests (no early exit on the
 * first differing byte), as strings: decoding with Buffer.from(hex) would stop
 * at the first non-hex character, ignore case and drop an odd last digit, so
 * `sig + "x"`, `sig + "0"` or `SIG` would compare equal. Shape and length are
 * not secret; only the digits are compared in constant time.
 */
export function hexEquals(a: string, b: string): boolean {
  if (a.length !== b.length || !HEX.test(a) || !HEX.test(b)) return false;
  return timingSafeEqual(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));
}

/** Whether `userHash` is the site's HMAC of `userId`: the recipe in docs/protocol.md. */
export function verifyUserHash(siteSecret: string, userId: string, userHash: string): boolean {
  return hexEquals(hmacHex(siteSecret, userId), userHash);
}
