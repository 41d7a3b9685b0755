import { createHmac } from 'node:crypto';

/**
 * `Touchpoint-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 * The timestamp is signed with the body, so a receiver that refuses old
 * timestamps (5 minutes) and ids it has seen is safe from replays
 * (docs/integrations.md#verifying-a-webhook).
 */
export const signWebhook = (secret: string, body: string, now = Date.now()): string => {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
};
