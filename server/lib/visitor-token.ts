import { hmacHex, hexEquals } from './hmac.js';

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

/** The claims of a valid, unexpired token; `undefined` for anything else. Never throws. */
export function verifyVisitorToken(secret: string, token: unknown, now = Date.now()): VisitorClaims | undefined {
  if (typeof token !== 'string' || token.length > 2048) return undefined;
  const dot = token.indexOf('.');
  if (dot < 1) return undefined;
  const body = token.slice(0, dot);
  if (!hexEquals(hmacHex(secret, `vt1.${body}`), token.slice(dot + 1))) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as VisitorClaims;
    if (typeof claims.s !== 'string' || typeof claims.a !== 'string' || typeof claims.e !== 'number') return undefined;
    return claims.e * 1000 > now ? claims : undefined;
  } catch {
    return undefined;
  }
}
