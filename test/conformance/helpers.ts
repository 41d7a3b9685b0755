import { createHmac } from 'node:crypto';
import { admin, request, type Answer, type Target } from './client.js';
import { SseClient } from '../support/sse-client.js';

/** A visitor of the protocol: a token, and helpers for its chat. */
export const visitorOf = async (t: Target, anonymousId: string) => {
  const r = await request(t, '/v1/visitor', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ protocol: 1, siteKey: t.site, anonymousId }) });
  expect(r.status === 200, `POST /v1/visitor: expected 200, got ${r.status}`);
  const token = r.body.token as string;
  const post = (path: string, body: Record<string, unknown>) =>
    request(t, `/v1/chat${path}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ protocol: 1, siteKey: t.site, token, ...body }) });
  return {
    token,
    start: (clientId: string, body?: string) => post('/conversations', { clientId, ...(body ? { body } : {}) }),
    send: (id: string, clientId: string, body: string) => post(`/conversations/${id}/messages`, { clientId, body }),
    events: (id: string, tok = token) => request(t, `/v1/chat/conversations/${id}/events?site=${encodeURIComponent(t.site)}&token=${encodeURIComponent(tok)}&after=0`),
    stream: (headers: Record<string, string> = {}) => new SseClient(new URL(`/v1/chat/stream?site=${encodeURIComponent(t.site)}&token=${encodeURIComponent(token)}`, t.url).toString(), headers),
  };
};
export const unique = (p: string) => `${p}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export interface Check {
  /** Reads as a sentence: "a backend MUST …". */
  name: string;
  /** What the check needs beyond a URL and a site key; it is skipped without it. */
  needs?: ('adminToken' | 'lockedSite' | 'siteSecret' | 'channel')[];
  /** May return a note (the fuzz: counts by status and code), printed with the result. */
  run(t: Target): Promise<void | string>;
}

export class CheckFailed extends Error {}
export const expect = (cond: unknown, message: string): void => {
  if (!cond) throw new CheckFailed(message);
};
export const expectError = (a: Answer, status: number, code: string, path?: string) => {
  expect(a.status === status, `expected HTTP ${status}, got ${a.status}: ${a.text.slice(0, 200)}`);
  expect(a.body?.error?.code === code, `expected error code "${code}", got ${JSON.stringify(a.body)}`);
  expect(typeof a.body?.error?.message === 'string', 'error.message must be a string');
  if (path !== undefined) expect(a.body?.error?.path === path, `expected error.path "${path}", got "${a.body?.error?.path}"`);
};
export const stats = async (t: Target) => (await admin(t, '/stats')).body as { events: number; consentRecords: number };
export const stored = async (t: Target, messageId: string) => admin(t, `/events/${encodeURIComponent(messageId)}`);

/** `t=…,v1=…` over the raw body (docs/protocol.md §13). */
export const sign = (secret: string, raw: string, now = Date.now()) => {
  const ts = Math.floor(now / 1000);
  return `t=${ts},v1=${createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex')}`;
};
export const inbound = (t: Target, body: unknown, signature?: string) => {
  const raw = JSON.stringify(body);
  return request(t, `/v1/channels/${t.channel}/messages?site=${encodeURIComponent(t.site)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === undefined ? { 'touchpoint-signature': sign(t.channelSecret!, raw) } : { 'touchpoint-signature': signature }) },
    body: raw,
  });
};

