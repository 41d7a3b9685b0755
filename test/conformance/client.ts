import { gzipSync } from 'node:zlib';

export interface Target {
  /** Base URL of the backend under test, e.g. http://localhost:8787 */
  url: string;
  /** A site key the backend knows, whose origins include `*` or `origin`. */
  site: string;
  /** Bearer token of the optional admin read API; checks that need it are skipped without it. */
  adminToken?: string | undefined;
  /** A site key whose allow-list excludes https://not-allowed.invalid (for the origin check). */
  lockedSite?: string | undefined;
  /** The site secret, to make valid userHash values (the verified-identity checks need it). */
  siteSecret?: string | undefined;
  /** An inbound channel of the site (`email`) and its secret, for the inbound-channel checks. */
  channel?: string | undefined;
  channelSecret?: string | undefined;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

/**
 * One HTTP exchange, never throwing on a status: checks look at statuses.
 * A `429` is waited out as the protocol says (`Retry-After`, at most 10 s a
 * time, 30 times), so the kit runs against a backend that rate-limits it.
 */
export const request = async (t: Target, path: string, init: RequestInit & { gzip?: boolean } = {}): Promise<Answer> => {
  let body = init.body;
  if (init.gzip && typeof body === 'string') body = gzipSync(body);
  let res = await fetch(new URL(path, t.url), { ...init, body, signal: AbortSignal.timeout(15_000) });
  for (let tries = 0; res.status === 429 && tries < 30; tries++) {
    await res.arrayBuffer();
    const wait = Math.min(10, Math.max(1, Number(res.headers.get('retry-after')) || 1));
    await new Promise((r) => setTimeout(r, wait * 1000));
    res = await fetch(new URL(path, t.url), { ...init, body, signal: AbortSignal.timeout(15_000) });
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, body: json, text };
};

/** `POST /v1/batch` with a JSON (or raw) body as text/plain, as browsers send it. */
export const postBatch = (
  t: Target,
  body: unknown,
  o: { raw?: string | Uint8Array; gzip?: boolean; site?: string; headers?: Record<string, string>; contentType?: string; query?: string } = {},
) =>
  request(t, `/v1/batch?site=${encodeURIComponent(o.site ?? t.site)}${o.gzip ? '&encoding=gzip' : ''}${o.query ?? ''}`, {
    method: 'POST',
    headers: { 'content-type': o.contentType ?? 'text/plain', ...o.headers },
    body: (o.raw ?? JSON.stringify(body)) as BodyInit,
    gzip: o.gzip && typeof o.raw !== 'object',
  });

export const admin = (t: Target, path: string) => request(t, `/v1/admin/sites/${encodeURIComponent(t.site)}${path}`, { headers: { authorization: `Bearer ${t.adminToken}` } });

let seq = 0;
/** A fresh, valid track event. */
export const trackEvent = (extra: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Conformance Checked',
  messageId: `conf-${Date.now().toString(36)}-${(seq++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
  anonymousId: 'conformance-visitor',
  timestamp: new Date().toISOString(),
  properties: { n: seq },
  ...extra,
});

export const envelope = (extra: Record<string, unknown> = {}) => ({ protocol: 1, sentAt: new Date().toISOString(), ...extra });

/** A fresh, valid identify event. */
export const identifyEvent = (userId: string, userHash?: string) => {
  const { messageId, anonymousId, timestamp } = trackEvent();
  return { type: 'identify', userId, ...(userHash ? { userHash } : {}), traits: { plan: 'conformance' }, messageId, anonymousId, timestamp };
};
