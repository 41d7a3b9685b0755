import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { testClock } from '../support/clock.js';
import { agent, postJson } from '../support/chat-client.js';
import { ensureAgents } from '../../server/agents.js';
import { hmacHex } from '../../server/lib/hmac.js';
import type { ReplayDetail, ReplayListItem } from '../../server/reports/replays.js';

/** Wednesday 1 April 2026, 10:00 UTC; the site's days are Berlin's (UTC+2 in summer). */
const NOW = '2026-04-01T10:00:00.000Z';

describe.each(STORES)('the replay list on $name', ({ databaseUrl }) => {
  const clock = testClock(NOW);
  let s: TestServer;
  let cookie: string;
  const get = async <T>(path: string) => {
    const r = await fetch(`${s.url}/v1/agent${path}`, { headers: { cookie } });
    return { status: r.status, body: (await r.json()) as T };
  };
  const list = async (q = '') => {
    const r = await get<{ replays: ReplayListItem[] }>(`/replays?site=demo${q}`);
    expect(r.status, q).toBe(200);
    return r.body.replays;
  };
  const ids = async (q = '') => (await list(q)).map((r) => r.sessionId).sort();

  beforeAll(async () => {
    s = await startServer({ databaseUrl: await databaseUrl(), now: clock });
    const site = (await s.app.deps.sites.get('demo'))!;
    await s.app.deps.sites.configure('demo', site.name, site.allowedOrigins, { ...site.config, timeZone: 'Europe/Berlin', surveys: [{ id: 'ces', version: 1, questions: [{ id: 'effort', type: 'ces' }] }] });
    cookie = (await agent(s.url, ...(Object.values((await ensureAgents(s.store, ''))!) as [string, string]))).cookie;
    const ev = (id: string, anon: string, session: string, ts: string, o: { type?: string; name?: string; path?: string; extra?: Record<string, unknown> } = {}) => ({
      type: o.type ?? 'page',
      messageId: id,
      anonymousId: anon,
      timestamp: ts,
      ...(o.name ? { event: o.name, properties: {} } : o.type === 'identify' ? {} : { properties: {} }),
      ...o.extra,
      context: { session: { id: session }, page: { url: `https://shop.example${o.path ?? '/'}`, path: o.path ?? '/' } },
    });
    const batch = await postJson(`${s.url}/v1/batch?site=demo`, {
      protocol: 1,
      sentAt: clock.iso(),
      batch: [
        // rs1: Ada (verified, named) on the cart and the checkout, where she rage-clicks.
        ev('e1', 'ra1', 'rs1', '2026-03-30T10:00:00.000Z', { path: '/cart' }),
        ev('e2', 'ra1', 'rs1', '2026-03-30T10:00:30.000Z', { path: '/checkout' }),
        ev('e3', 'ra1', 'rs1', '2026-03-30T10:00:40.000Z', { type: 'track', name: 'Rage Click', path: '/checkout' }),
        ev('e4', 'ra1', 'rs1', '2026-03-30T10:00:50.000Z', { type: 'identify', extra: { userId: 'ada', userHash: hmacHex(site.secret, 'ada'), traits: { name: 'Ada Lovelace' } } }),
        // rs2: an anonymous visitor hits an error and gives a low CES.
        ev('e5', 'rb1', 'rs2', '2026-03-31T09:00:00.000Z'),
        ev('e6', 'rb1', 'rs2', '2026-03-31T09:00:10.000Z', { type: 'track', name: 'Error Occurred' }),
        // rs3: half past midnight on the 1st in Berlin (still the 31st in UTC), nothing wrong.
        ev('e7', 'rc1', 'rs3', '2026-03-31T22:30:00.000Z', { path: '/about' }),
      ],
      responses: [{ responseId: 'q1', surveyId: 'ces', surveyVersion: 1, questionId: 'effort', value: 2, final: true, anonymousId: 'rb1', sessionId: 'rs2', timestamp: '2026-03-31T09:00:20.000Z' }],
    });
    expect(batch.status, JSON.stringify(batch.body)).toBe(200);
    const chunk = async (session: string, anon: string, first: string, seconds: number) => {
      const t = Date.parse(first);
      const r = await fetch(`${s.url}/v1/replay?site=demo&session=${session}&window=w1&seq=0&first=${t}&last=${t + seconds * 1000}&anon=${anon}&encoding=gzip`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: gzipSync(JSON.stringify([{ type: 4, timestamp: t, data: { href: 'https://shop.example/' } }])),
      });
      expect(r.status).toBe(200);
    };
    await chunk('rs1', 'ra1', '2026-03-30T10:00:00.000Z', 90);
    await chunk('rs2', 'rb1', '2026-03-31T09:00:00.000Z', 30);
    await chunk('rs3', 'rc1', '2026-03-31T22:30:00.000Z', 3725);
  }, 60_000);
  afterAll(async () => s?.close());

  it('lists every recording with its duration, entry page, signals and who it was', async () => {
    const rows = await list();
    expect(rows.map((r) => r.sessionId)).toEqual(['rs3', 'rs2', 'rs1']);
    const [rs3, rs2, rs1] = rows;
    expect(rs1).toMatchObject({ durationMs: 90_000, userId: 'ada', name: 'Ada Lovelace', entryPath: '/cart', pages: 2, friction: 1, errors: 0, lowScore: false });
    expect(rs2).toMatchObject({ durationMs: 30_000, userId: null, anonymousId: 'rb1', friction: 0, errors: 1, lowScore: true });
    expect(rs3).toMatchObject({ durationMs: 3_725_000, entryPath: '/about', friction: 0, errors: 0, lowScore: false });
  });

  it('filters by page, customer, friction, error and low score, and combines them', async () => {
    expect(await ids('&page=/CHECKOUT')).toEqual(['rs1']);
    expect(await ids('&customer=ada')).toEqual(['rs1']);
    expect(await ids('&customer=rb1')).toEqual(['rs2']);
    expect(await ids('&customer=nobody')).toEqual([]);
    expect(await ids('&friction=1')).toEqual(['rs1']);
    expect(await ids('&error=true')).toEqual(['rs2']);
    expect(await ids('&lowScore=1')).toEqual(['rs2']);
    expect(await ids('&friction=1&error=1')).toEqual([]);
    // A LIKE wildcard in the page is a character, not "anything".
    expect(await ids('&page=%25')).toEqual([]);
  });

  it("filters by the site's local days: the visit after midnight in Berlin is the 1st", async () => {
    expect(await ids('&from=2026-04-01&to=2026-04-01')).toEqual(['rs3']);
    expect(await ids('&from=2026-03-31&to=2026-03-31')).toEqual(['rs2']);
    expect(await ids('&from=2026-03-30')).toEqual(['rs1', 'rs2', 'rs3']);
  });

  it('answers a bad filter with a 400 naming it, an unknown site with a 404', async () => {
    const bad = await get<{ error: { code: string; path?: string } }>('/replays?friction=yes');
    expect(bad.status).toBe(400);
    expect(bad.body.error.path).toBe('?friction');
    expect((await get<{ error: { path?: string } }>('/replays?site=demo&from=2026-02-30')).body.error.path).toBe('?from');
    expect((await get('/replays?site=nope')).status).toBe(404);
  });

  it('describes one recording by its response schema', async () => {
    const { status, body } = await get<ReplayDetail>('/replays/rs1?site=demo');
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['anonymousId', 'chunks', 'first', 'last', 'markers', 'sessionId', 'siteKey', 'windowIds', 'windows']);
    expect(body.markers.map((m) => m.kind)).toEqual(['page', 'page', 'friction']);
  });
});
