import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { testClock } from '../support/clock.js';
import { agent, postJson, visitor } from '../support/chat-client.js';
import { ensureAgents } from '../../server/agents.js';
import { hmacHex } from '../../server/lib/hmac.js';
import { bestAttempt, likeOf, median, pathTest } from '../../server/reports/funnel-steps.js';
import type { FunnelReport } from '../../server/reports/funnel.js';

const MOBILE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const DESKTOP = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
const EMAIL = { channel: 'Email', source: 'newsletter', medium: 'email' };
const SEARCH = { channel: 'Organic Search', source: 'google', medium: 'organic' };
const DIRECT = { channel: 'Direct', source: '(direct)', medium: '(none)' };
type Touch = typeof EMAIL;

let n = 0;
/** An event as the SDK sends it: a page view of `path`, or a track of `name` on `path`. */
const ev = (anon: string, session: string, ts: string, o: { path: string; name?: string; properties?: Record<string, unknown>; touch: Touch; ua?: string; identify?: { userId: string; userHash: string } }) => ({
  type: o.identify ? 'identify' : o.name ? 'track' : 'page',
  messageId: `m-${++n}`,
  anonymousId: anon,
  timestamp: `2026-11-${ts}Z`,
  ...(o.name ? { event: o.name, properties: o.properties ?? {} } : o.identify ? { userId: o.identify.userId, userHash: o.identify.userHash, traits: {} } : { properties: {} }),
  context: {
    session: { id: session },
    page: { url: `https://shop.example${o.path}`, path: o.path },
    userAgent: o.ua ?? DESKTOP,
    attribution: { first: { ...o.touch, timestamp: `2026-11-${ts}Z` }, session: { ...o.touch, timestamp: `2026-11-${ts}Z` }, last: { ...o.touch, timestamp: `2026-11-${ts}Z` } },
  },
});

const STEPS = [{ page: '/product/*' }, { page: '/cart' }, { page: '/checkout' }, { event: 'Order Completed' }];

describe('the funnel state machine', () => {
  const e = (at: number, mask: number) => ({ at, mask, sessionId: null });
  it('starts an attempt at every step-1 event and keeps the furthest within the window from step 1', () => {
    // The first attempt's window closes before step 3; the second, started later, completes.
    expect(bestAttempt([e(0, 1), e(5, 2), e(20, 1), e(25, 2), e(28, 4)], 3, 10).map((x) => x.at)).toEqual([20, 25, 28]);
    // A step before step 1 does not count; one event meets one step of an attempt.
    expect(bestAttempt([e(0, 2), e(1, 1), e(2, 3)], 3, 10).map((x) => x.at)).toEqual([1, 2]);
    expect(bestAttempt([e(0, 2)], 2, 10)).toEqual([]);
  });
  it('matches path patterns whole, * for anything, and escapes them for LIKE', () => {
    expect(pathTest('/product/*')('/product/boots')).toBe(true);
    expect(pathTest('/product/*')('/products')).toBe(false);
    expect(pathTest('/cart')('/cart/x')).toBe(false);
    expect(pathTest('/a.b(c)')('/aXb(c)')).toBe(false);
    expect(likeOf('/50%_off/*')).toBe('/50\\%\\_off/%');
    expect(median([3, 1, 2])).toBe(2);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe.each(STORES)('funnels on $name', ({ databaseUrl }) => {
  const clock = testClock('2026-11-30T12:00:00.000Z');
  let s: TestServer;
  let cookie: string;
  const funnel = (body: unknown, q = '?from=2026-11-01&to=2026-11-30', site = 'demo', c = cookie) =>
    fetch(`${s.url}/v1/agent/sites/${site}/funnel${q}`, { method: 'POST', headers: { cookie: c, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  beforeAll(async () => {
    s = await startServer({ databaseUrl: await databaseUrl(), now: clock });
    const secret = (await s.app.deps.sites.get('demo'))!.secret;
    cookie = (await agent(s.url, ...(Object.values((await ensureAgents(s.store, ''))!).slice(0, 2) as [string, string]))).cookie;
    const batch = [
      // v1 converts on a phone from the newsletter: 120 s, 180 s, 180 s between steps.
      ev('v1', 's1', '10T10:00:00.000', { path: '/product/boots', touch: EMAIL, ua: MOBILE }),
      ev('v1', 's1', '10T10:02:00.000', { path: '/cart', touch: EMAIL, ua: MOBILE }),
      ev('v1', 's1', '10T10:05:00.000', { path: '/checkout', touch: EMAIL, ua: MOBILE }),
      ev('v1', 's1', '10T10:08:00.000', { path: '/checkout', name: 'Order Completed', touch: EMAIL, ua: MOBILE }),
      // v2 struggles at checkout (two rage clicks, a chat) and leaves there.
      ev('v2', 's2', '11T10:00:00.000', { path: '/product/hat', touch: SEARCH }),
      ev('v2', 's2', '11T10:01:00.000', { path: '/cart', touch: SEARCH }),
      ev('v2', 's2', '11T10:04:00.000', { path: '/checkout', touch: SEARCH }),
      ev('v2', 's2', '11T10:04:30.000', { path: '/checkout', name: 'Rage Click', touch: SEARCH }),
      ev('v2', 's2', '11T10:04:40.000', { path: '/checkout', name: 'Rage Click', touch: SEARCH }),
      // …and a help rule fired for them there (the SDK's record of it).
      ev('v2', 's2', '11T10:04:41.000', { path: '/checkout', name: 'Help Rule Fired', properties: { ruleId: 'checkout-rage', action: 'chat' }, touch: SEARCH }),
      // v3 leaves at the cart, v4 after the product page.
      ev('v3', 's3', '12T10:00:00.000', { path: '/product/hat', touch: SEARCH }),
      ev('v3', 's3', '12T10:05:00.000', { path: '/cart', touch: SEARCH }),
      ev('v4', 's4', '13T10:00:00.000', { path: '/product/boots', touch: DIRECT }),
      // v5 never enters: a cart without a product page.
      ev('v5', 's5', '13T11:00:00.000', { path: '/cart', touch: DIRECT }),
      // v6's cart comes 20 days later, past the 14-day window.
      ev('v6', 's6', '05T10:00:00.000', { path: '/product/boots', touch: DIRECT }),
      ev('v6', 's6b', '25T10:00:00.000', { path: '/cart', touch: DIRECT }),
      // v7 is one customer on two devices (verified): product and cart on the laptop, checkout and order on the phone the next day.
      ev('v7a', 's7a', '20T10:00:00.000', { path: '/product/boots', touch: EMAIL }),
      ev('v7a', 's7a', '20T10:03:00.000', { path: '/cart', touch: EMAIL }),
      ev('v7a', 's7a', '20T10:03:30.000', { path: '/cart', touch: EMAIL, identify: { userId: 'u7', userHash: hmacHex(secret, 'u7') } }),
      ev('v7b', 's7b', '21T08:59:00.000', { path: '/', touch: EMAIL, ua: MOBILE, identify: { userId: 'u7', userHash: hmacHex(secret, 'u7') } }),
      ev('v7b', 's7b', '21T09:00:00.000', { path: '/checkout', touch: EMAIL, ua: MOBILE }),
      ev('v7b', 's7b', '21T09:05:00.000', { path: '/checkout', name: 'Order Completed', touch: EMAIL, ua: MOBILE }),
      // v8 saw the cart before any product: only step 1 counts.
      ev('v8', 's8', '14T10:00:00.000', { path: '/cart', touch: DIRECT }),
      ev('v8', 's8', '14T10:01:00.000', { path: '/product/socks', touch: DIRECT }),
    ];
    const r = await postJson(`${s.url}/v1/batch?site=demo`, { protocol: 1, sentAt: clock.iso(), batch });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // A second funnel: v9 picks a plan in one batch; the purchase arrives later, tracked by the shop's server without a session, and the first batch is sent again.
    const plan = [ev('v9', 's9', '15T10:00:00.000', { path: '/plan/pro', touch: DIRECT }), ev('v9', 's9', '15T10:01:00.000', { path: '/plan/pro', name: 'Plan Chosen', touch: DIRECT })];
    const bought = { ...ev('v9', 's9', '15T10:06:00.000', { path: '/thanks', name: 'Plan Bought', touch: DIRECT }), context: {} };
    for (const b of [plan, [bought], plan]) expect((await postJson(`${s.url}/v1/batch?site=demo`, { protocol: 1, sentAt: clock.iso(), batch: b })).status).toBe(200);
    const v2 = await visitor(s.url, 'v2');
    const chat = await postJson(`${s.url}/v1/chat/conversations`, { protocol: 1, siteKey: 'demo', token: v2.token, clientId: 'c-v2', sessionId: 's2', page: 'https://shop.example/checkout?step=pay', body: 'The pay button does nothing' });
    expect(chat.status, JSON.stringify(chat.body)).toBe(200);
  }, 60_000);
  afterAll(async () => s?.close());

  it('counts each customer once at the furthest step, with conversion, drop-off and median time between steps', async () => {
    const r = await funnel({ steps: STEPS });
    expect(r.status).toBe(200);
    const f = (await r.json()) as FunnelReport;
    expect(f).toMatchObject({ unit: 'customer', windowDays: 14, range: { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' } });
    expect(f.steps.map((x) => [x.label, x.count, x.conversion, x.fromPrevious, x.dropped, x.medianSeconds])).toEqual([
      ['/product/*', 7, 100, null, 0, null],
      ['/cart', 4, 57.1, 57.1, 3, 150],
      ['/checkout', 3, 42.9, 75, 1, 180],
      ['Order Completed', 2, 28.6, 66.7, 1, 240],
    ]);
  });

  it('shows what happened at a step — its friction and chats — and who left there, at the moment to replay', async () => {
    const f = (await (await funnel({ steps: STEPS })).json()) as FunnelReport;
    const checkout = f.steps[2]!;
    expect(checkout.friction).toEqual({ 'Rage Click': 2, 'Dead Click': 0, 'Error Click': 0 });
    expect(checkout.chats).toBe(1);
    expect(f.steps[1]!.friction['Rage Click']).toBe(0);
    // v2 left after checkout: its session, at its first rage click there (the moment to watch).
    expect(f.steps[3]!.dropouts).toEqual([{ sessionId: 's2', at: '2026-11-11T10:04:30.000Z', struggle: 'Rage Click' }]);
    // No friction: at the last step they reached.
    expect(f.steps[2]!.dropouts).toEqual([{ sessionId: 's3', at: '2026-11-12T10:05:00.000Z' }]);
    expect(f.steps[1]!.dropouts.map((d) => d.sessionId)).toEqual(['s8', 's4', 's6']);
  });

  it('shows the CES and CSAT answers given on a step\'s page by those who reached it, scored as the survey report scores them', async () => {
    const answer = (anon: string, session: string, responseId: string, surveyId: string, questionId: string, value: unknown, url?: string) => ({
      responseId, surveyId, surveyVersion: 1, questionId, value, anonymousId: anon, sessionId: session, timestamp: '2026-11-11T10:06:00.000Z', ...(url === undefined ? {} : { url }),
    });
    const responses = [
      // At checkout: v1 found it easy (6), v2 hard (2) and was unhappy with support (CSAT 2); v2's comment is not a score.
      answer('v1', 's1', 'r-v1', 'checkout-ces', 'effort', 6, 'https://shop.example/checkout'),
      answer('v2', 's2', 'r-v2', 'checkout-ces', 'effort', 2, 'https://shop.example/checkout?step=pay'),
      answer('v2', 's2', 'r-v2', 'checkout-ces', 'why', 'The pay button does nothing', 'https://shop.example/checkout?step=pay'),
      answer('v2', 's2', 'r-v2c', 'support-csat', 'csat', 2, 'https://shop.example/checkout'),
      // On the cart: v3 (who reached it) gave 5; v5 never entered the funnel, so their 1 is not the funnel's; an answer without a page is nowhere.
      answer('v3', 's3', 'r-v3', 'checkout-ces', 'effort', 5, 'https://shop.example/cart'),
      answer('v5', 's5', 'r-v5', 'checkout-ces', 'effort', 1, 'https://shop.example/cart'),
      answer('v4', 's4', 'r-v4', 'checkout-ces', 'effort', 1),
      // v7 reached checkout as a customer on the phone (s7b), a session that never entered on its own: theirs per customer only.
      answer('v7b', 's7b', 'r-v7b', 'checkout-ces', 'effort', 7, 'https://shop.example/checkout'),
      // Not the funnel's: an answer whose URL is relative.
      answer('v1', 's1', 'r-v1r', 'checkout-ces', 'effort', 1, '/checkout'),
    ];
    // The site's surveys say which questions are CES and which CSAT.
    const surveys = [
      { id: 'checkout-ces', version: 1, questions: [{ id: 'effort', type: 'ces' }, { id: 'why', type: 'text' }] },
      { id: 'support-csat', version: 1, questions: [{ id: 'csat', type: 'csat' }] },
    ];
    await s.app.deps.sites.update('demo', { config: { surveys } });
    const r = await postJson(`${s.url}/v1/batch?site=demo`, { protocol: 1, sentAt: clock.iso(), batch: [], responses });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // Ingest refuses a string, an off-scale answer or another version for a configured survey; such rows stored before the
    // survey was set up or changed (a question's type may differ in another version) are not scores either, as in the survey results.
    await s.store.query(
      `INSERT INTO survey_answers (site_key, response_id, survey_id, survey_version, question_id, value, anonymous_id, session_id, url, timestamp, payload)
       SELECT 'demo', r, 'checkout-ces', version, 'effort', v::jsonb, 'v1', 's1', 'https://shop.example/checkout', '2026-11-10T10:06:00Z', '{}'
         FROM (VALUES ('r-v1s', 1, '"1"'), ('r-v1o', 1, '8'), ('r-v1v', 2, '1')) x(r, version, v)`,
    );
    const f = (await (await funnel({ steps: STEPS })).json()) as FunnelReport;
    const brief = (k: number) => Object.fromEntries(Object.entries(f.steps[k]!.answers).map(([t, a]) => [t, [a.n, a.score, a.mean]]));
    expect(brief(2)).toEqual({ ces: [3, 66.7, 5], csat: [1, 0, 2] });
    expect(brief(1)).toEqual({ ces: [1, 100, 5], csat: [0, null, null] });
    expect(brief(0)).toEqual({ ces: [0, null, null], csat: [0, null, null] });
    // An event step has no page of its own.
    expect(brief(3)).toEqual({ ces: [0, null, null], csat: [0, null, null] });
    // Per session, v7's phone session never entered, so its answer is not the funnel's.
    const bySession = (await (await funnel({ steps: STEPS, unit: 'session' })).json()) as FunnelReport;
    expect(bySession.steps[2]!.answers.ces).toMatchObject({ n: 2, score: 50, histogram: { 2: 1, 6: 1 } });
  });

  it('counts sessions instead when asked: a customer who switched devices converts in neither', async () => {
    const f = (await (await funnel({ steps: STEPS, unit: 'session' })).json()) as FunnelReport;
    expect(f.steps.map((x) => x.count)).toEqual([7, 4, 2, 1]);
  });

  it('breaks down by the entry session\'s first touch and by device', async () => {
    const f = (await (await funnel({ steps: STEPS, breakdown: 'firstTouch' })).json()) as FunnelReport;
    expect(f.breakdown).toEqual([
      { value: 'Direct', counts: [3, 0, 0, 0] },
      { value: 'Email', counts: [2, 2, 2, 2] },
      { value: 'Organic Search', counts: [2, 2, 1, 0] },
    ]);
    const d = (await (await funnel({ steps: STEPS, breakdown: 'device' })).json()) as FunnelReport;
    expect(d.breakdown).toEqual([
      { value: 'desktop', counts: [6, 3, 2, 1] },
      { value: 'mobile', counts: [1, 1, 1, 1] },
    ]);
  });

  it('splits units a help rule fired for from the others: conversion with and without help', async () => {
    const f = (await (await funnel({ steps: STEPS, breakdown: 'help' })).json()) as FunnelReport;
    expect(f.breakdown).toEqual([
      { value: 'no help', counts: [6, 3, 2, 2] },
      { value: 'help: checkout-rage', counts: [1, 1, 1, 0] },
    ]);
  });

  it('follows a customer into events without a session, and counts a batch sent twice once', async () => {
    const PLAN = [{ page: '/plan/*' }, { event: 'Plan Chosen' }, { event: 'Plan Bought' }];
    const f = (await (await funnel({ steps: PLAN })).json()) as FunnelReport;
    expect(f.steps.map((x) => [x.count, x.medianSeconds])).toEqual([[1, null], [1, 60], [1, 300]]);
    // Per session, the purchase belongs to no session of theirs.
    const bySession = (await (await funnel({ steps: PLAN, unit: 'session' })).json()) as FunnelReport;
    expect(bySession.steps.map((x) => x.count)).toEqual([1, 1, 0]);
    expect(bySession.steps[2]!.dropouts).toEqual([{ sessionId: 's9', at: '2026-11-15T10:01:00.000Z' }]);
  });

  it('treats an empty session id as no session: the events are stored without one and the funnel still follows them', async () => {
    // A client that sends context.session.id "" (and a survey answer with sessionId "") has no session, like a server-side track.
    const trial = [
      { ...ev('v10', '', '16T10:00:00.000', { path: '/trial/start', touch: DIRECT }), messageId: 'trial-1' },
      { ...ev('v10', '', '16T10:02:00.000', { path: '/trial/start', name: 'Trial Started', touch: DIRECT }), messageId: 'trial-2' },
    ];
    const answer = { responseId: 'trial-r', surveyId: 'checkout-ces', surveyVersion: 1, questionId: 'effort', value: 2, anonymousId: 'v10', sessionId: '', timestamp: '2026-11-16T10:03:00.000Z' };
    const r = await postJson(`${s.url}/v1/batch?site=demo`, { protocol: 1, sentAt: clock.iso(), batch: trial, responses: [answer] });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const stored = await s.store.query<{ session_id: string | null }>(`SELECT session_id FROM events WHERE site_key = 'demo' AND message_id IN ('trial-1', 'trial-2') UNION ALL SELECT session_id FROM survey_answers WHERE site_key = 'demo' AND response_id = 'trial-r'`);
    expect(stored.rows).toEqual([{ session_id: null }, { session_id: null }, { session_id: null }]);
    const TRIAL = [{ page: '/trial/*' }, { event: 'Trial Started' }];
    const f = (await (await funnel({ steps: TRIAL })).json()) as FunnelReport;
    expect(f.steps.map((x) => [x.count, x.medianSeconds])).toEqual([[1, null], [1, 120]]);
    const bySession = (await (await funnel({ steps: TRIAL, unit: 'session' })).json()) as FunnelReport;
    expect(bySession.steps.map((x) => x.count)).toEqual([1, 1]);
  });

  it('bounds step 1 by the range and the rest by the window', async () => {
    const f = (await (await funnel({ steps: STEPS, windowDays: 30 }, '?from=2026-11-01&to=2026-11-09')).json()) as FunnelReport;
    // Only v6 entered before the 10th; with a 30-day window its cart on the 25th counts.
    expect(f.steps.map((x) => x.count)).toEqual([1, 1, 0, 0]);
  });

  it('cuts the date range in the site\'s time zone: its local days, not UTC\'s', async () => {
    // Kiritimati is UTC+14: its 11 November runs from 10:00 UTC on the 10th to 10:00 UTC on the 11th,
    // so v1's product page (10:00 UTC on the 10th) is in it and v2's (10:00 UTC on the 11th) is not — the other way round in UTC.
    await s.app.deps.sites.update('demo', { config: { timeZone: 'Pacific/Kiritimati' } });
    try {
      const f = (await (await funnel({ steps: STEPS, unit: 'session' }, '?from=2026-11-11&to=2026-11-11')).json()) as FunnelReport;
      expect(f.range).toEqual({ from: '2026-11-10T10:00:00.000Z', to: '2026-11-11T10:00:00.000Z' });
      expect(f.steps.map((x) => x.count)).toEqual([1, 1, 1, 1]);
    } finally {
      await s.app.deps.sites.update('demo', { config: { timeZone: 'UTC' } });
    }
    const utc = (await (await funnel({ steps: STEPS, unit: 'session' }, '?from=2026-11-11&to=2026-11-11')).json()) as FunnelReport;
    expect(utc.steps.map((x) => x.count)).toEqual([1, 1, 1, 0]);
  });

  it('answers bad queries with the documented error and a path, never a 500', async () => {
    const bad = async (body: unknown, q?: string) => {
      const r = await funnel(body, q);
      const j = await r.json();
      return [r.status, j.error?.code, j.error?.path];
    };
    expect(await bad({ steps: [{ page: '/a' }] })).toEqual([400, 'invalid_body', '/steps']);
    expect((await bad({ steps: [{ page: 'no-slash' }, { page: '/b' }] }))[0]).toBe(400);
    expect((await bad({ steps: STEPS, extra: 1 }))[0]).toBe(400);
    expect((await bad({ steps: STEPS, windowDays: 1e9 }))[0]).toBe(400);
    expect((await bad({ steps: [{ event: 'a\u0000b' }, { page: '/b' }] }))[0]).toBe(400);
    expect((await bad('{"steps": ['))[0]).toBe(400);
    expect((await bad({ steps: Array.from({ length: 11 }, () => ({ page: '/x' })) }))[0]).toBe(400);
    expect(await bad({ steps: STEPS }, '?from=2026-02-30')).toEqual([400, 'invalid_body', '?from']);
    // Days a range cannot hold: past 9999 the window's end reached PostgreSQL as '+010000-…' (a 500); years 0–99 read as 19xx.
    expect(await bad({ steps: STEPS }, '?from=2026-11-01&to=9999-12-31')).toEqual([400, 'invalid_body', '?to']);
    expect(await bad({ steps: STEPS }, '?from=0001-01-01')).toEqual([400, 'invalid_body', '?from']);
    expect((await funnel({ steps: STEPS }, '?from=1970-01-01&to=9999-09-30')).status).toBe(200);
    expect((await funnel({ steps: STEPS }, undefined, 'nope')).status).toBe(404);
    for (const site of ['constructor', '__proto__']) expect((await funnel({ steps: STEPS }, undefined, site)).status, site).toBe(404);
    expect((await bad({ steps: [{ event: 'a\ud800' }, { page: '/b' }] }))[0]).toBe(400);
    expect((await bad({ steps: STEPS, windowDays: 1.5 }))[0]).toBe(400);
    expect((await funnel({ steps: STEPS }, undefined, 'demo', '')).status).toBe(401);
    // A pattern full of LIKE's own characters matches only itself.
    const odd = (await (await funnel({ steps: [{ page: '/%' }, { page: '/_' }] })).json()) as FunnelReport;
    expect(odd.steps[0]!.count).toBe(0);
  });
});
