import { hexEquals, hmacHex } from '../lib/hmac.js';

/** How far a signed request's timestamp may be from our clock. */
export const SIGNATURE_TOLERANCE_S = 300;

const digest = (secret: string, t: number, body: string) => hmacHex(secret, `${t}.${body}`);

/**
 * `Touchpoint-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`
 * on what we send (webhooks, channel replies). The timestamp is signed with
 * the body, so a receiver that refuses old timestamps and ids it has seen is
 * safe from replays (docs/integrations.md#verifying-a-webhook).
 */
export const signWebhook = (secret: string, body: string, now = Date.now()): string => {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${digest(secret, t, body)}`;
};

/**
 * The same scheme on what we receive (inbound channels): the HMAC in constant
 * time over the raw body, and the timestamp within 5 minutes of now, so a
 * captured request cannot be replayed later.
 */
export const verifySignature = (secret: string, header: string | undefined, rawBody: string, now = Date.now()): boolean => {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(now / 1000 - t) > SIGNATURE_TOLERANCE_S) return false;
  return hexEquals(digest(secret, t, rawBody), parts.v1);
};
