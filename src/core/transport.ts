import type { ErrorBody } from '../protocol/error.js';

export interface SendResult {
  /** HTTP status; 0 for a network error or a blocked request. */
  status: number;
  retryAfterMs: number;
  error?: ErrorBody['error'] | undefined;
}

/**
 * The one way the SDK talks to a backend: a CORS-simple POST (`text/plain`,
 * no custom headers, so no preflight). `keepalive` requests outlive the page;
 * where fetch keepalive is missing, `sendBeacon` is the fallback. (Bodies are
 * gzipped by their sender: drain.ts for big batches, replay for its chunks.)
 */
export const send = async (url: string, body: string | ArrayBuffer | Blob, keepalive = false): Promise<SendResult> => {
  try {
    const res = await fetch(url, { method: 'POST', body, keepalive, credentials: 'omit', headers: { 'content-type': 'text/plain' } });
    const retryAfter = Number(res.headers.get('retry-after'));
    let error: SendResult['error'];
    if (!res.ok) error = ((await res.json().catch(() => undefined)) as ErrorBody | undefined)?.error;
    return { status: res.status, retryAfterMs: retryAfter > 0 ? retryAfter * 1000 : 0, error };
  } catch {
    if (keepalive) {
      try {
        // Beacon: fire and forget; the items stay in the outbox until a later
        // flush sees them acknowledged (the server dedupes the repeat).
        navigator.sendBeacon(url, new Blob([body], { type: 'text/plain' }));
      } catch {
        // Nothing more can be done while the page goes away.
      }
    }
    return { status: 0, retryAfterMs: 0 };
  }
};
