import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Meta's webhook signature: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app
 * secret, body)>`, over the raw bytes exactly as received — Meta signs its
 * escaped-unicode serialization, so a re-serialized JSON would not match.
 * Compared in constant time; a missing, malformed or SHA-1-only header fails.
 */
export function verifyHubSignature(appSecret: string | undefined, header: string | string[] | undefined, raw: Buffer): boolean {
  if (!appSecret || typeof header !== 'string') return false;
  const m = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!m) return false;
  const want = createHmac('sha256', appSecret).update(raw).digest();
  return timingSafeEqual(want, Buffer.from(m[1]!.toLowerCase(), 'hex'));
}

/** The signature Meta would send (tests, and the console's "send test" of a webhook). */
export const hubSignature = (appSecret: string, raw: Buffer | string): string => `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;

/**
 * The subscription handshake: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`
 * is answered with the challenge when the token is the account's, else refused.
 * The token is compared in constant time; the challenge (Meta sends digits)
 * is echoed only when it is plain word characters, never as markup.
 */
export function hubChallenge(verifyToken: string | undefined, q: Record<string, unknown>): string | undefined {
  const mode = q['hub.mode'];
  const token = q['hub.verify_token'];
  const challenge = q['hub.challenge'];
  if (!verifyToken || mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string' || !/^[\w.-]{1,256}$/.test(challenge)) return undefined;
  const a = createHmac('sha256', 'hub').update(verifyToken).digest();
  const b = createHmac('sha256', 'hub').update(token).digest();
  return timingSafeEqual(a, b) ? challenge : undefined;
}
