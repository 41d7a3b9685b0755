import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { testClock } from '../support/clock.js';
import { agent, postJson, visitor } from '../support/chat-client.js';
import { ensureAgents } from '../../server/agents.js';
import type { StruggleReport } from '../../server/reports/struggle.js';

let n = 0;
/** An event as the SDK sends it on `path` of session `session`, at 2026-11-20T`time`Z. */
const ev = (anon: string, session: string, time: string, path: string, name?: string, properties: Record<string, unknown> = {}) => ({
  type: name ? 'track' : 'page',
  messageId: `st-${++n}`,
  anonymousId: anon,
  timestamp: `2026-11-20T${time}Z`,
  ...(name ? { event: name } : {}),
  properties,
  context: { session: { id: session }, page: { url: `https://shop.example${path}`, path } },
});

describe.each(STORES)('the struggle report on $name', ({ databaseUrl }) => {
  const clock = testClock('2026-11-30T12:00:00.000Z');
  let s: TestServer;
  let cookie: string;
  const struggle = (q = '?from=2026-11-01&to=2026-11-30&minSessions=1', site = 'demo', c = cookie) => fetch(`${s.url}/v1/agent/sites/${site}/struggle${q}`, { headers: { cookie: c } });

  beforeAll(async () => {
    s = await startServer({ databaseUrl: await databaseUrl(), now: clock });
    await s.app.deps.sites.update('demo', { config: { surveys: [{ id: 'checkout-ces', version: 1, questions: [{ id: 'effort', type: 'ces' }, { id: 'why', type: 'text' }] }] } });
    cookie = (await agent(s.url, ...(Object.values((await ensureAgents(s.store, ''))!).slice(0, 2) as [string, string]))).cookie;
    const batch = [
      // s1 struggles at checkout every way: a poor LCP, a rage and an error click, and a CES of 2.
      ev('a1', 's1', '10:00:00.000', '/cart'),
      ev('a1', 's1', '10:00:10.000', '/checkout'),
      ev('a1', 's1', '10:00:30.000', '/checkout', 'Web Vital', { name: 'LCP', value: 5200, rating: 'poor' }),
      ev('a1', 's1', '10:01:00.000', '/checkout', 'Rage Click', { clicks: 3 }),
      ev('a1', 's1', '10:02:00.000', '/checkout', 'Error Click'),
      ev('a1', 's1', '10:02:05.000', '/checkout', 'Error Click'),
      // s2: a dead click at checkout, and a chat opened there.
      ev('a2', 's2', '11:00:00.000', '/cart'),
      ev('a2', 's2', '11:00:10.000', '/checkout'),
      ev('a2', 's2', '11:01:00.000', '/checkout', 'Dead Click'),
      // s3 rage-clicks in the cart; its INP was good (not a signal).
      ev('a3', 's3', '12:00:00.000', '/cart'),
      ev('a3', 's3', '12:00:20.000', '/cart', 'Web Vital', { name: 'INP', value: 80, rating: 'good' }),
      ev('a3', 's3', '12:00:30.000', '/cart', 'Rage Click', { clicks: 3 }),
      // s4 checks out without trouble; s5's poor CLS is not one of the score's vitals.
      ev('a4', 's4', '13:00:00.000', '/checkout'),
      ev('a5', 's5', '14:00:00.000', '/'),
      ev('a5', 's5', '14:00:05.000', '/', 'Web Vital', { name: 'CLS', value: 0.4, rating: 'poor' }),
      // Outside the range: never counted.
      { ...ev('a6', 's6', '10:00:00.000', '/checkout', 'Rage Click'), timestamp: '2026-10-20T10:00:00.000Z' },
    ];
    const answer = (q: string, value: unknown, anon: string, session: string, path: string) => ({ responseId: `r-${session}`, surveyId: 'checkout-ces', surveyVersion: 1, questionId: q, value, anonymousId: anon, sessionId: session, url: `https://shop.example${path}`, timestamp: '2026-11-20T10:03:00.000Z' });
    const responses = [answer('effort', 2, 'a1', 's1', '/checkout'), answer('why', 'The card form kept failing', 'a1', 's1', '/checkout'), answer('effort', 6, 'a4', 's4', '/checkout')];
    const r = await postJson(`${s.url}/v1/batch?site=demo`, { protocol: 1, sentAt: clock.iso(), batch, responses });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const v2 = await visitor(s.url, 'a2');
    const chat = await postJson(`${s.url}/v1/chat/conversations`, { protocol: 1, siteKey: 'demo', token: v2.token, clientId: 'c-a2', sessionId: 's2', page: 'https://shop.example/checkout?step=pay', body: 'I cannot pay' });
    expect(chat.status, JSON.stringify(chat.body)).toBe(200);
  }, 60_000);
  afterAll(async () => s?.close());

  it('ranks pages by the documented score: Σ weight × share of sessions with the signal, ÷ the weights’ sum', async () => {
    const r = await struggle();
    expect(r.status).toBe(200);
    const f = (await r.json()) as StruggleReport;
    expect(f.weights).toEqual({ lowCes: 4, rage: 3, error: 3, poorVitals: 2, chats: 2, dead: 1 });
    expect(f.pages.map((p) => [p.path, p.sessions, p.struggling, p.score])).toEqual([
      // (4 + 3 + 3 + 2 + 2 + 1) × 1/3 ÷ 15 = 33.3: each signal in one of three sessions.
      ['/checkout', 3, 2, 33.3],
      // 3 × 1/3 ÷ 15 = 6.7.
      ['/cart', 3, 1, 6.7],
    ]);
    expect(f.pages[0]!.signals).toEqual({ lowCes: 1, rage: 1, error: 1, poorVitals: 1, chats: 1, dead: 1 });
    expect(f.pages[1]!.signals).toEqual({ lowCes: 0, rage: 1, error: 0, poorVitals: 0, chats: 0, dead: 0 });
    expect(f.tooFew).toBe(0);
  });

  it('gives each page the sessions to watch, most struggle first, each at its first signal there', async () => {
    const f = (await (await struggle()).json()) as StruggleReport;
    expect(f.pages[0]!.examples).toEqual([
      { sessionId: 's1', at: '2026-11-20T10:00:30.000Z', signal: 'poorVitals' },
      { sessionId: 's2', at: '2026-11-20T11:01:00.000Z', signal: 'dead' },
    ]);
    expect(f.pages[1]!.examples).toEqual([{ sessionId: 's3', at: '2026-11-20T12:00:30.000Z', signal: 'rage' }]);
  });

  it('ranks no page below 30 sessions by default, and says how many it left out', async () => {
    const f = (await (await struggle('?from=2026-11-01&to=2026-11-30')).json()) as StruggleReport;
    expect(f).toMatchObject({ minSessions: 30, pages: [], tooFew: 2 });
  });

  it('answers bad queries with the documented error, never a 500', async () => {
    const bad = async (q: string, site = 'demo') => {
      const r = await struggle(q, site);
      return [r.status, ((await r.json()) as { error?: { code: string } }).error?.code];
    };
    expect(await bad('?from=2026-02-30')).toEqual([400, 'invalid_body']);
    expect((await bad('?minSessions=0'))[0]).toBe(400);
    expect((await bad('?minSessions=1.5'))[0]).toBe(400);
    expect((await bad('?from=%00'))[0]).toBe(400);
    expect((await bad('?from=\ud800'))[0]).toBe(400);
    expect((await bad('', 'nope'))[0]).toBe(404);
    for (const site of ['constructor', '__proto__']) expect((await bad('', site))[0], site).toBe(404);
    expect((await struggle(undefined, 'demo', '')).status).toBe(401);
  });

  it('counts a page’s sessions by their views in the range, also a session that viewed it before, during and after a short range', async () => {
    // Written after the other tests read the month: /long's sessions span days (the server caps no session).
    const at = (e: ReturnType<typeof ev>, day: string) => ({ ...e, timestamp: `2026-11-${day}T12:00:00.000Z` });
    const batch = [
      // In the range, between views before and after it: counted (its summary's first and last view are both outside).
      at(ev('l1', 'l1', '12:00:00.000', '/long'), '14'),
      at(ev('l1', 'l1', '12:00:00.000', '/long'), '16'),
      at(ev('l1', 'l1', '12:00:00.000', '/long'), '18'),
      // Before and after, none in the range: not counted.
      at(ev('l2', 'l2', '12:00:00.000', '/long'), '14'),
      at(ev('l2', 'l2', '12:00:00.000', '/long'), '18'),
      // A rage click in the range, with no view of the page there: counted as a session on it.
      at(ev('l3', 'l3', '12:00:00.000', '/long', 'Rage Click'), '16'),
      at(ev('l3', 'l3', '12:00:00.000', '/long'), '18'),
    ];
    expect((await postJson(`${s.url}/v1/batch?site=demo`, { protocol: 1, sentAt: clock.iso(), batch })).status).toBe(200);
    const f = (await (await struggle('?from=2026-11-16&to=2026-11-16&minSessions=1')).json()) as StruggleReport;
    expect(f.pages.find((p) => p.path === '/long')).toMatchObject({ sessions: 2, struggling: 1, signals: { rage: 1 } });
  });
});
