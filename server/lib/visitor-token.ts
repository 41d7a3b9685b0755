import { hexEquals, hmacHex } from './hmac.js';

export interface VisitorClaims {
  /** Site key. */
  s: string;
  /** Anonymous id the token is bound to. */
  a: string;
  /** Verified user id, if any. */
  u?: string;
  /** Expiry, seconds since the epoch. */
  e: number;
}

/** Tokens live a day; the SDK asks for a new one when it gets `invalid_token`. */
export const VISITOR_TOKEN_TTL_S = 24 * 3600;

/** `base64url(JSON claims) + "." + hex HMAC`, signed with the server secret shared by all instances. */
export function signVisitorToken(secret: string, claims: VisitorClaims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${hmacHex(secret, `vt1.${body}`)}`;
}

/** Exactly `base64url body` + `.` + 64 lowercase hex: anything else (padding, spaces, upper case, extra characters) is not a token. */
const SHAPE = /^([A-Za-z0-9_-]{1,2000})\.([0-9a-f]{64})$/;

/**
 * The claims of a valid, unexpired token; `undefined` for anything else. Never throws.
 * Strict so that no other string verifies: the body must be canonical
 * base64url (re-encoding its bytes gives it back: no stray trailing bits),
 * the signature exactly the lowercase hex HMAC, compared in constant time as
 * a whole (hexEquals).
 */
export function verifyVisitorToken(secret: string, token: unknown, now = Date.now()): VisitorClaims | undefined {
  if (typeof token !== 'string') return undefined;
  const m = SHAPE.exec(token);
  if (!m) return undefined;
  const [, body, sig] = m as unknown as [string, string, string];
  if (!hexEquals(hmacHex(secret, `vt1.${body}`), sig)) return undefined;
  const bytes = Buffer.from(body, 'base64url');
  if (bytes.toString('base64url') !== body) return undefined;
  try {
    const claims = JSON.parse(bytes.toString('utf8')) as VisitorClaims;
    if (typeof claims.s !== 'string' || typeof claims.a !== 'string' || typeof claims.e !== 'number') return undefined;
    return claims.e * 1000 > now ? claims : undefined;
  } catch {
    return undefined;
  }
}
