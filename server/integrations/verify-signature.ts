import { createHmac } from 'node:crypto';
import { hexEquals } from '../lib/hmac.js';

export const SIGNATURE_TOLERANCE_S = 300;

/**
 * Checks `t=…,v1=…` over the raw body: the HMAC in constant time, and the
 * timestamp within 5 minutes of now (a captured request cannot be replayed
 * later). The same scheme signs what we send (sign-webhook.ts).
 */
export const verifySignature = (secret: string, header: string | undefined, rawBody: string, now = Date.now()): boolean => {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(now / 1000 - t) > SIGNATURE_TOLERANCE_S) return false;
  return hexEquals(createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex'), parts.v1);
};
