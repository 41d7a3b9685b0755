import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { startServer, type TestServer } from '../support/start-server.js';
import { hmacHex } from '../../server/lib/hmac.js';
import { STORES } from '../support/stores.js';
import { testClock } from '../support/clock.js';

describe.each(STORES)('the reference server on $name', ({ databaseUrl }) => {
// The server's clock and the visitor's agree unless a test says otherwise.
const clock = testClock('2026-11-30T23:59:30.000Z');
let s: TestServer;
let secret: string;
beforeAll(async () => {
  s = await startServer({ databaseUrl: await databaseUrl(), now: clock });
  secret = (await s.app.deps.sites.get('demo'))!.secret;
  await s.app.deps.sites.ensure('locked', 'Locked site', ['https://allowed.test']);
});
afterAll(() => s.close());

const now = () => clock.iso();
let n = 0;
const track = (extra: Record<string, unknown> = {}) => ({ type: 'track', event: 'Clicked', messageId: `m-${++n}-${Math.random()}`, anonymousId: 'anon-1', timestamp: now(), ...extra });
const post = (body: unknown, opts: { site?: string; headers?: Record<string, string>; raw?: string | Buffer; query?: string } = {}) =>
  s.app.inject({
    method: 'POST',
    url: `/v1/batch?site=${opts.site ?? 'demo'}${opts.query ?? ''}`,
    headers: { 'content-type': 'text/plain', ...opts.headers },
    payload: opts.raw ?? JSON.stringify(body),
  });
const count = async () => Number((await s.store.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n);

describe('POST /v1/batch', () => {
  it('stores each event once, however often it is sent', async () => {
    const e = track();
    const first = await post({ protocol: 1, sentAt: now(), batch: [e] });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ accepted: 1, duplicates: 0 });
    const again = await post({ protocol: 1, sentAt: now(), batch: [e, e] });
    expect(again.json()).toEqual({ accepted: 0, duplicates: 2 });
    const rows = await s.store.query('SELECT 1 FROM events WHERE message_id = $1', [e.messageId]);
    expect(rows.rows).toHaveLength(1);
  });

  it('corrects the timestamp for clock skew and keeps the original', async () => {
    const e = track({ timestamp: '2030-01-01T00:00:00.000Z' });
    await post({ protocol: 1, sentAt: '2030-01-01T00:00:10.000Z', batch: [e] });
    const { rows } = await s.store.query<{ payload: { timestamp: string; originalTimestamp: string } }>('SELECT payload FROM events WHERE message_id = $1', [e.messageId]);
    expect(rows[0]!.payload.originalTimestamp).toBe('2030-01-01T00:00:00.000Z');
    // The browser's clock is three years fast: the event happened 10 s before the server received the batch.
    expect(rows[0]!.payload.timestamp).toBe(clock.iso(-10_000));
  });

  it('accepts a gzip body when the URL says encoding=gzip', async () => {
    const res = await post(null, { raw: gzipSync(JSON.stringify({ protocol: 1, sentAt: now(), batch: [track()] })), query: '&encoding=gzip' });
    expect(res.statusCode).toBe(200);
    expect(res.json().accepted).toBe(1);
  });

  it('marks an identify verified only with a valid userHash, and refuses a forged one', async () => {
    const ok = { type: 'identify', userId: 'u-1', userHash: hmacHex(secret, 'u-1'), messageId: `id-${Math.random()}`, anonymousId: 'anon-1', timestamp: now() };
    expect((await post({ protocol: 1, sentAt: now(), batch: [ok] })).statusCode).toBe(200);
    const { rows } = await s.store.query<{ verified: boolean }>('SELECT verified FROM events WHERE message_id = $1', [ok.messageId]);
    expect(rows[0]!.verified).toBe(true);
    const forged = { ...ok, messageId: `id-${Math.random()}`, userHash: hmacHex('guess', 'u-1') };
    const res = await post({ protocol: 1, sentAt: now(), batch: [forged] });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'invalid_user_hash', path: '/batch/0/userHash' });
  });

  it('stores consent records append-only', async () => {
    const rec = { id: `c-${Math.random()}`, anonymousId: 'anon-1', timestamp: now(), policyVersion: '1', mode: 'opt-in', categories: { necessary: true, analytics: false }, method: 'banner' };
    expect((await post({ protocol: 1, sentAt: now(), consent: [rec] })).json()).toEqual({ accepted: 1, duplicates: 0 });
    await expect(s.store.query('UPDATE consent_records SET method = $1', ['api'])).rejects.toThrow(/append-only/);
    await expect(s.store.query('DELETE FROM consent_records')).rejects.toThrow(/append-only/);
  });

  describe('refuses bad input with the documented error, writing nothing', () => {
    const cases: [string, () => ReturnType<typeof post>, number, string, string?][] = [
      ['malformed JSON', () => post(null, { raw: '{"protocol":1,' }), 400, 'invalid_json'],
      ['a body that is not gzip', () => post(null, { raw: 'plain', query: '&encoding=gzip' }), 400, 'invalid_json'],
      ['a wrong type', () => post({ protocol: 1, sentAt: now(), batch: [track(), track({ event: 5 })] }), 400, 'invalid_body', '/batch/1/event'],
      ['an unknown event type', () => post({ protocol: 1, sentAt: now(), batch: [track({ type: 'screen' })] }), 400, 'invalid_body', '/batch/0/type'],
      ['an unknown envelope field', () => post({ protocol: 1, sentAt: now(), batches: [] }), 400, 'invalid_body', '/batches'],
      ['an unknown event field', () => post({ protocol: 1, sentAt: now(), batch: [track({ extra: 1 })] }), 400, 'invalid_body', '/batch/0/extra'],
      ['a missing sentAt', () => post({ protocol: 1, batch: [track()] }), 400, 'invalid_body'],
      ['a bad date', () => post({ protocol: 1, sentAt: 'yesterday', batch: [] }), 400, 'invalid_body', '/sentAt'],
      ['another protocol version', () => post({ protocol: 2, sentAt: now(), batch: [track()] }), 400, 'unsupported_protocol', '/protocol'],
      ['an unknown site', () => post({ protocol: 1, sentAt: now(), batch: [track()] }, { site: 'nope' }), 404, 'unknown_site'],
      ['a disallowed origin', () => post({ protocol: 1, sentAt: now(), batch: [track()] }, { site: 'locked', headers: { origin: 'https://evil.test' } }), 403, 'origin_not_allowed'],
      ['an oversize event', () => post({ protocol: 1, sentAt: now(), batch: [track({ properties: { blob: 'x'.repeat(40_000) } })] }), 413, 'payload_too_large', '/batch/0'],
      ['an oversize body', () => post({ protocol: 1, sentAt: now(), batch: Array.from({ length: 30 }, () => track({ properties: { blob: 'x'.repeat(20_000) } })) }), 413, 'payload_too_large'],
      ['a gzip bomb', () => post(null, { raw: gzipSync(Buffer.alloc(5_000_000, 32)), query: '&encoding=gzip' }), 413, 'payload_too_large'],
      ['an unsupported media type', () => post(null, { raw: 'x', headers: { 'content-type': 'image/png' } }), 415, 'unsupported_media_type'],
      ['a JSON array body', () => post([1, 2]), 400, 'invalid_body'],
      ['a null body', () => post(null, { raw: 'null' }), 400, 'invalid_body'],
      ['an identify without userId', () => post({ protocol: 1, sentAt: now(), batch: [{ type: 'identify', messageId: 'x', anonymousId: 'a', timestamp: now() }] }), 400, 'invalid_body', '/batch/0/userId'],
    ];
    it.each(cases)('%s', async (_name, send, status, code, path) => {
      const before = await count();
      const res = await send();
      expect(res.statusCode).toBe(status);
      const body = res.json();
      expect(body.error.code).toBe(code);
      expect(typeof body.error.message).toBe('string');
      if (path) expect(body.error.path).toBe(path);
      expect(await count()).toBe(before);
    });
  });

  it('answers 404 with the error shape for unknown routes', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/v1/nothing' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });

  it('echoes an allowed origin so the browser can read the answer, and answers preflights', async () => {
    const res = await post({ protocol: 1, sentAt: now(), batch: [track()] }, { headers: { origin: 'https://site.test' } });
    expect(res.headers['access-control-allow-origin']).toBe('https://site.test');
    const pre = await s.app.inject({ method: 'OPTIONS', url: '/v1/batch', headers: { origin: 'https://site.test', 'access-control-request-method': 'POST' } });
    expect(pre.statusCode).toBe(204);
  });
});

describe('POST /v1/visitor', () => {
  const ask = (body: unknown) => s.app.inject({ method: 'POST', url: '/v1/visitor', headers: { 'content-type': 'text/plain' }, payload: JSON.stringify(body) });
  it('issues a token for an anonymous visitor, and a verified one with a valid userHash', async () => {
    const anon = await ask({ protocol: 1, siteKey: 'demo', anonymousId: 'a-1' });
    expect(anon.statusCode).toBe(200);
    expect(anon.json()).toMatchObject({ verified: false });
    const known = await ask({ protocol: 1, siteKey: 'demo', anonymousId: 'a-1', userId: 'u-9', userHash: hmacHex(secret, 'u-9') });
    expect(known.json()).toMatchObject({ verified: true });
  });
  it('refuses a forged userHash', async () => {
    const res = await ask({ protocol: 1, siteKey: 'demo', anonymousId: 'a-1', userId: 'u-9', userHash: hmacHex('x', 'u-9') });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('invalid_user_hash');
  });
});

describe('GET /v1/sites/{key}/config', () => {
  it('serves the public config with defaults and never the secret', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/v1/sites/demo/config' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ protocol: 1, siteKey: 'demo', consent: { mode: 'opt-in' } });
    expect(res.body).not.toContain(secret);
  });
});
});
