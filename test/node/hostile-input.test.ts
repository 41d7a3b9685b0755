import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { ensureAgents } from '../../server/agents.js';
import { hexEquals } from '../../server/lib/hmac.js';
import { trustProxyFromEnv } from '../../server/lib/rate-limiter.js';
import { signVisitorToken, verifyVisitorToken } from '../../server/lib/visitor-token.js';
import { openStore } from '../../server/store/open-store.js';
import { parseDateTime } from '../../src/protocol/date-time.js';
import { agent } from '../support/chat-client.js';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';

// Hostile input beyond what the conformance kit can see from outside: the
// token's every single-character variant, the rate limit's client address,
// replay reads across sites, the demo page's catch-all, raw-socket bodies.

const SECRET = 'hostile-input-secret';
const NOW = Date.parse('2026-11-20T10:00:00.000Z');

describe('visitor tokens', () => {
  const token = signVisitorToken(SECRET, { s: 'demo', a: 'anon-1', u: 'user-1', e: NOW / 1000 + 3600 });

  it('verify as issued', () => {
    expect(verifyVisitorToken(SECRET, token, NOW)).toMatchObject({ s: 'demo', a: 'anon-1', u: 'user-1' });
  });

  it('refuse every single-character change, deletion, insertion, append and case change', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ %\u0000';
    const variants = new Set<string>([token.toUpperCase(), token.toLowerCase(), ` ${token}`, `${token} `, `${token}\n`]);
    for (let i = 0; i <= token.length; i++) {
      if (i < token.length) {
        variants.add(token.slice(0, i) + token.slice(i + 1));
        const c = token[i]!;
        variants.add(token.slice(0, i) + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) + token.slice(i + 1));
      }
      for (const a of alphabet) {
        variants.add(token.slice(0, i) + a + token.slice(i));
        if (i < token.length) variants.add(token.slice(0, i) + a + token.slice(i + 1));
      }
    }
    variants.delete(token);
    const accepted = [...variants].filter((v) => verifyVisitorToken(SECRET, v, NOW) !== undefined);
    expect(variants.size).toBeGreaterThan(15_000);
    expect(accepted).toEqual([]);
  });

  it('refuse a body that is not canonical base64url even when its signature is right', () => {
    // "eyJ" + a last character with non-zero unused bits decodes to the same bytes as the canonical one.
    const body = token.split('.')[0]!;
    for (const last of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') {
      const other = body.slice(0, -1) + last;
      if (other === body || Buffer.from(other, 'base64url').toString('base64url') === other) continue;
      const forged = `${other}.${createHmac('sha256', SECRET).update(`vt1.${other}`).digest('hex')}`;
      expect(verifyVisitorToken(SECRET, forged, NOW), forged).toBeUndefined();
    }
  });

  it('refuse an expired one and anything that is not a string', () => {
    expect(verifyVisitorToken(SECRET, token, NOW + 3601_000)).toBeUndefined();
    for (const v of [undefined, null, 42, {}, [token]]) expect(verifyVisitorToken(SECRET, v, NOW)).toBeUndefined();
  });
});

describe('hexEquals, for every HMAC the server checks (tokens, userHash, signatures, agent cookies, the admin token)', () => {
  const sig = createHmac('sha256', SECRET).update('x').digest('hex');
  it('is true only for the same lowercase digits', () => {
    expect(hexEquals(sig, sig)).toBe(true);
    for (const bad of [`${sig}x`, `${sig}0`, `${sig}00`, `${sig}g`, sig.toUpperCase(), sig.slice(0, -1), `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`, '', ` ${sig}`]) {
      expect(hexEquals(sig, bad), bad).toBe(false);
    }
  });
});

describe('protocol date-times', () => {
  it('read a leap second as the last millisecond of second 59, and honour offsets and case', () => {
    expect(new Date(parseDateTime('2016-12-31T23:59:60Z')!).toISOString()).toBe('2016-12-31T23:59:59.999Z');
    expect(new Date(parseDateTime('2026-01-01t11:00:00.123456+01:00')!).toISOString()).toBe('2026-01-01T10:00:00.123Z');
    expect(new Date(parseDateTime('0001-01-01T00:00:00Z')!).toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect(new Date(parseDateTime('9999-12-31T23:59:59.999Z')!).toISOString()).toBe('9999-12-31T23:59:59.999Z');
    expect(new Date(parseDateTime('2024-02-29T00:00:00-00:30')!).toISOString()).toBe('2024-02-29T00:30:00.000Z');
  });

  it('refuse what Date.parse would misread or a store could not hold', () => {
    for (const s of ['0000-12-31T23:59:59Z', '0001-01-01T00:30:00+01:00', '2026-01-01T00:00:00Z[UTC]', '2025-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:60:00Z', '2026-01-01T00:00:61Z', '2026-01-01T00:00:00+24:00', '2026-01-01T00:00:00', '2026-01-01 00:00:00Z', '+002026-01-01T00:00:00Z', '2026-1-01T00:00:00Z']) {
      expect(parseDateTime(s), s).toBeUndefined();
    }
  });
});

describe('TOUCHPOINT_TRUST_PROXY', () => {
  it('is off unless set; true, a hop count or a list of addresses when set', () => {
    expect(trustProxyFromEnv(undefined)).toBe(false);
    expect(trustProxyFromEnv('')).toBe(false);
    expect(trustProxyFromEnv('false')).toBe(false);
    expect(trustProxyFromEnv('true')).toBe(true);
    const hops = trustProxyFromEnv('1') as (a: string, i: number) => boolean;
    expect([hops('10.0.0.1', 0), hops('10.0.0.2', 1)]).toEqual([true, false]);
    expect(trustProxyFromEnv('10.0.0.0/8, 127.0.0.1')).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });
});

describe.each(STORES)('hostile input against the reference server on $name', ({ databaseUrl }) => {
  let s: TestServer;
  let cookie: string;
  const post = (path: string, body: string | Uint8Array, headers: Record<string, string> = {}) =>
    fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: body as BodyInit });

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-hostile-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Demo shop</title>');
    s = await startServer({ databaseUrl: await databaseUrl(), statics: [{ prefix: '/', root: dir, spaFallback: 'index.html' }] });
    await s.app.deps.sites.ensure('other', 'Other site');
    const creds = (await ensureAgents(s.store, ''))!;
    cookie = (await agent(s.url, creds.email, creds.password)).cookie;
  }, 60_000);
  afterAll(() => s?.close());

  it('answers unknown /v1 paths and wrong methods with JSON, while other paths still get the demo page', async () => {
    for (const [method, path, status, code] of [
      ['GET', '/v1/batch', 405, 'method_not_allowed'],
      ['GET', '/v1/nope', 404, 'not_found'],
      ['GET', '/v1/sites/demo/config/extra', 404, 'not_found'],
      ['POST', '/v1/sites/demo/config', 405, 'method_not_allowed'],
      ['GET', `/v1/sites/${'k'.repeat(300)}/config`, 414, 'uri_too_long'],
      ['GET', `/v1/sites/${'k'.repeat(80)}/config`, 400, 'invalid_body'],
    ] as const) {
      const r = await fetch(`${s.url}${path}`, { method, ...(method === 'POST' ? { body: '{}' } : {}) });
      expect(r.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect([r.status, ((await r.json()) as { error: { code: string } }).error.code], `${method} ${path}`).toEqual([status, code]);
    }
    expect((await fetch(`${s.url}/v1/batch`)).headers.get('allow')).toBe('POST, OPTIONS');
    const page = await fetch(`${s.url}/some/client/route`);
    expect([page.status, await page.text()]).toEqual([200, '<!doctype html><title>Demo shop</title>']);
  });

  it('answers a 20 KB URL and over-large headers with the documented body, from Node’s own parser', async () => {
    const raw = (head: string) =>
      new Promise<string>((resolve, reject) => {
        const sock = connect(Number(new URL(s.url).port), '127.0.0.1');
        let got = '';
        sock.on('data', (d) => (got += d.toString()));
        sock.on('end', () => resolve(got));
        sock.on('error', reject);
        sock.write(head);
      });
    const long = await raw(`GET /v1/batch?site=${'s'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(long).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(long.slice(long.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'headers_too_large' } });
    const garbage = await raw('NOT HTTP AT ALL\r\n\r\n');
    expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'invalid_body' } });
  });

  it('lets a client that streams 8 MB or posts 6 MB from another process read its 413, and stays healthy after bodies that stop halfway', async () => {
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${s.url}/v1/batch?site=demo`, { method: 'POST', headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 8 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(status.status).toBe(413);
    expect(JSON.parse(status.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    // A client in another process (in this one, the server's close lands after the client's writes, hiding the
    // fault): before, every other 6 MB post ended in EPIPE, as Fastify marks a refused body `Connection: close`.
    const script = `const big = new Uint8Array(6 * 1024 * 1024).fill(0x20); const out = [];
      for (let i = 0; i < 4; i++) { try { const r = await fetch('${s.url}/v1/batch?site=demo', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: big }); out.push(r.status); } catch (e) { out.push(e.cause?.code ?? e.message); } }
      console.log(JSON.stringify(out));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
    expect(JSON.parse(stdout)).toEqual([413, 413, 413, 413]);
    // Announced with Content-Length, refused before a byte is read: still readable, three times in a row.
    for (let i = 0; i < 3; i++) {
      const r = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const body = Buffer.alloc(6 * 1024 * 1024, 0x20);
        const req = httpRequest(`${s.url}/v1/batch?site=demo`, { method: 'POST', headers: { 'content-type': 'text/plain', 'content-length': body.length } }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        });
        req.on('error', reject);
        req.end(body);
      });
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    }

    // A body announced as 1,000 bytes that stops after 10: the client is gone; the server must not care.
    await new Promise<void>((resolve) => {
      const sock = connect(Number(new URL(s.url).port), '127.0.0.1', () => {
        sock.write('POST /v1/batch?site=demo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n{"protocol"');
        setImmediate(() => sock.destroy());
        sock.on('close', () => resolve());
      });
    });
    const ok = await post('/v1/batch?site=demo', JSON.stringify({ protocol: 1, sentAt: new Date().toISOString(), batch: [] }));
    expect(ok.status).toBe(200);
  });

  it("plays a session's replay from its own site only, even when another site posts chunks under the same ids", async () => {
    const chunk = (site: string, seq: number, marker: string) =>
      post(`/v1/replay?site=${site}&session=shared-session&window=w1&seq=${seq}&first=${NOW + seq}&last=${NOW + seq + 1}&encoding=gzip`, gzipSync(JSON.stringify([{ type: 5, data: { marker }, timestamp: NOW + seq }])));
    expect((await chunk('demo', 0, 'demo-0')).status).toBe(200);
    expect((await chunk('demo', 1, 'demo-1')).status).toBe(200);
    // The attack: another site's chunks for the same session and window, one at a new seq.
    expect((await chunk('other', 1, 'other-1')).status).toBe(200);
    expect((await chunk('other', 2, 'other-2')).status).toBe(200);
    const get = async (path: string) => (await fetch(`${s.url}/v1/agent/replays/${path}`, { headers: { cookie } })).json() as Promise<Record<string, unknown>>;
    const detail = await get('shared-session');
    expect(detail).toMatchObject({ siteKey: 'demo', chunks: 2 });
    const events = (await get('shared-session/events?window=w1')) as unknown as { data: { marker: string } }[];
    expect(events.map((e) => e.data.marker)).toEqual(['demo-0', 'demo-1']);
    const theirs = (await get('shared-session/events?window=w1&site=other')) as unknown as { data: { marker: string } }[];
    expect(theirs.map((e) => e.data.marker)).toEqual(['other-1', 'other-2']);
  });

  it("answers hostile values in the console's own API with a 4xx or a 200, never a 5xx (year 0000 in a report range was a 500)", async () => {
    const vals = ['', '%00', 'x'.repeat(90), '__proto__', '-1', '99999999999999999999', '2026-13-45', '1e400', '2016-12-31T23:59:60Z', '0000-01-01', '%ED%A0%80', 'constructor'];
    const paths = vals.flatMap((v) => [
      `/v1/agent/consent?visitor=${v}`,
      `/v1/agent/sites/${v || 'x'}/overview`,
      `/v1/agent/sites/demo/customers?q=${v}&cursor=${v}&limit=${v}`,
      `/v1/agent/sites/demo/customers/${v || 'x'}`,
      `/v1/agent/sites/demo/attribution?from=${v}&to=${v}&model=${v}`,
      `/v1/agent/sites/demo/attribution.csv?from=${v}`,
      `/v1/agent/sites/${v || 'x'}/deliveries?status=${v}`,
      `/v1/agent/replays/${v || 'x'}/events?window=${v}&site=${v}`,
      `/v1/agent/sites/demo/surveys/${v || 'x'}/report?from=${v}&to=${v}`,
      `/v1/agent/conversations?status=${v}&before=${v}`,
      `/v1/agent/conversations/${v || 'x'}`,
    ]);
    const bad: string[] = [];
    for (const p of paths) {
      const r = await fetch(`${s.url}${p}`, { headers: { cookie } });
      if (r.status >= 500) bad.push(`${r.status} GET ${p.slice(0, 100)}`);
    }
    for (const body of ['{"ids":["__proto__"]}', '{"ids":["99999999999999999999"]}', '{"ids":[1e400]}', '{"ids":"x"}', '{"clientId":"a","body":"x\\u0000"}', '{"seq":1e300}', '[]']) {
      for (const p of ['/v1/agent/sites/demo/deliveries/retry', '/v1/agent/conversations/x/messages', '/v1/agent/conversations/x/read', '/v1/agent/login']) {
        const r = await fetch(`${s.url}${p}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body });
        if (r.status >= 500) bad.push(`${r.status} POST ${p} ${body}`);
      }
    }
    expect(bad).toEqual([]);
  }, 60_000);

  it('answers a chat cursor with out-of-range or JavaScript-named pairs as a fresh stream, never a 5xx', async () => {
    const v = await (await post('/v1/visitor', JSON.stringify({ protocol: 1, siteKey: 'demo', anonymousId: 'cursor-visitor' }))).json() as { token: string };
    for (const cursor of ['__proto__:1,constructor:2', 'x:99999999999999999999', 'x:1e30', ':', ',,,', 'a:-1']) {
      const ctrl = new AbortController();
      const r = await fetch(`${s.url}/v1/chat/stream?site=demo&token=${encodeURIComponent(v.token)}`, { headers: { 'last-event-id': cursor }, signal: ctrl.signal });
      expect(r.status, cursor).toBe(200);
      ctrl.abort();
    }
  });
});

describe.each(STORES)('the rate limit on $name', ({ databaseUrl }) => {
  // A bucket of 3 that refills one token per 100 s: a slow machine cannot refill it mid-test.
  let store: Awaited<ReturnType<typeof openStore>>;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: await databaseUrl() });
  }, 60_000);
  afterAll(() => store?.close());
  const start = async (trustProxy?: boolean) => {
    const app = await buildApp({ store, rateLimit: { perSecond: 0.01, burst: 3 }, deliveries: false, retention: false, ...(trustProxy === undefined ? {} : { trustProxy }) });
    await app.deps.sites.ensure('demo', 'Demo site');
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    return { url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, close: () => app.close() };
  };
  const burst = async (url: string) => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await fetch(`${url}/v1/batch?site=demo`, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-forwarded-for': `203.0.113.${i}` }, body: JSON.stringify({ protocol: 1, sentAt: new Date().toISOString(), batch: [] }) });
      statuses.push(r.status);
    }
    return statuses;
  };

  it('cannot be stepped around by rotating X-Forwarded-For, unless the operator trusts a proxy', async () => {
    const plain = await start();
    try {
      const statuses = await burst(plain.url);
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses.slice(3).every((x) => x === 429)).toBe(true);
    } finally {
      await plain.close();
    }
    const proxied = await start(true);
    try {
      expect(await burst(proxied.url)).toEqual(Array(8).fill(200));
    } finally {
      await proxied.close();
    }
  }, 60_000);
});
