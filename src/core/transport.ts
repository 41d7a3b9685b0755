import type { ErrorBody } from '../protocol/error.js';

export interface SendResult {
  /** HTTP status; 0 for a network error or a blocked request. */
  status: number;
  retryAfterMs: number;
  error?: ErrorBody['error'] | undefined;
}

/** Bodies above this are gzipped when the browser can (CompressionStream). */
const GZIP_FROM = 16 * 1024;

/**
 * The one way the SDK talks to a backend: a CORS-simple POST (`text/plain`,
 * no custom headers, so no preflight). `keepalive` requests outlive the page;
 * where fetch keepalive is missing, `sendBeacon` is the fallback.
 */
export const send = async (url: string, json: string | ArrayBuffer, keepalive = false): Promise<SendResult> => {
  let body: BodyInit = json;
  // Compression is async, and a hidden page may be frozen before it finishes:
  // on unload the plain body goes out at once instead.
  // (Binary bodies — replay chunks — are gzip already: `length` is undefined on them.)
  if (!keepalive && (json as string).length > GZIP_FROM && typeof CompressionStream == 'function') {
    try {
      body = await new Response(new Blob([json]).stream().pipeThrough(new CompressionStream('gzip'))).blob();
      url += '&encoding=gzip';
    } catch {
      body = json;
    }
  }
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
        navigator.sendBeacon(url, new Blob([json], { type: 'text/plain' }));
      } catch {
        // Nothing more can be done while the page goes away.
      }
    }
    return { status: 0, retryAfterMs: 0 };
  }
};
