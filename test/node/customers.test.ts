import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { testClock } from '../support/clock.js';
import { agent, postJson, visitor } from '../support/chat-client.js';
import { ensureAgents } from '../../server/agents.js';
import { hmacHex } from '../../server/lib/hmac.js';
import type { CustomerProfile } from '../../server/customers/customer-profile.js';
import type { CustomerRow } from '../../server/customers/find-customers.js';
import type { AttributionReport } from '../../server/reports/attribution.js';
import type { Overview } from '../../server/reports/overview.js';

type Touch = { channel: string; source?: string; medium?: string; campaign?: string };
const at = (t: string) => `2026-11-${t}Z`;
/**
 * The server's clock for this suite: the last day of the month, 30 s before
 * midnight UTC — a conversation started "now" must still count in November, and
 * the overview's "today" must end at midnight (the last test moves past it).
 */
const NOW = '2026-11-30T23:59:30.000Z';

/** An event as the SDK sends it, with the attribution context the SDK computes. */
const event = (o: { id: string; type?: string; name?: string; anon: string; session: string; t: string; ts?: string; first: Touch; last: Touch; session_?: Touch; path?: string; props?: Record<string, unknown>; userId?: string; userHash?: string; traits?: Record<string, unknown> }) => {
  const ts = o.ts ?? at(o.t);
  const touch = (x: Touch) => ({ ...x, timestamp: ts });
  const type = o.type ?? 'page';
  return {
    type,
    messageId: o.id,
    anonymousId: o.anon,
    timestamp: ts,
    ...(type === 'track' ? { event: o.name, properties: o.props ?? {} } : type === 'page' ? { properties: {} } : {}),
    ...(o.userId ? { userId: o.userId } : {}),
    ...(o.userHash ? { userHash: o.userHash } : {}),
    ...(o.traits ? { traits: o.traits } : {}),
    context: {
      session: { id: o.session },
      page: { url: `https://shop.example${o.path ?? '/'}`, path: o.path ?? '/' },
      userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      attribution: { first: touch(o.first), session: touch(o.session_ ?? o.last), last: touch(o.last) },
    },
  };
};

const EMAIL: Touch = { channel: 'Email', source: 'newsletter', medium: 'email', campaign: 'november' };
const SEARCH: Touch = { channel: 'Organic Search', source: 'google', medium: 'organic' };
const DIRECT: Touch = { channel: 'Direct', source: '(direct)', medium: '(none)' };

describe.each(STORES)('customers and attribution on $name', ({ databaseUrl }) => {
  const clock = testClock(NOW);
  let s: TestServer;
  let cookie: string;
  const get = async <T>(path: string) => {
    const r = await fetch(`${s.url}/v1/agent${path}`, { headers: { cookie } });
    return { status: r.status, body: (r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text()) as T };
  };
  const send = async (batch: unknown[]) => {
    const r = await postJson(`${s.url}/v1/batch?site=demo`, { protocol: 1, sentAt: clock.iso(), batch });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };

  beforeAll(async () => {
    s = await startServer({ databaseUrl: await databaseUrl(), now: clock });
    const secret = (await s.app.deps.sites.get('demo'))!.secret;
    const creds = (await ensureAgents(s.store, ''))!;
    cookie = (await agent(s.url, creds.email, creds.password)).cookie;
    // Ada: arrives from the newsletter on her laptop (anon a1), chats, identifies (verified)…
    await send([
      event({ id: 'a1-1', anon: 'a1', session: 's1', t: '10T09:00:00.000', first: EMAIL, last: EMAIL, path: '/boots' }),
      event({ id: 'a1-2', type: 'track', name: 'Rage Click', anon: 'a1', session: 's1', t: '10T09:01:00.000', first: EMAIL, last: EMAIL, path: '/boots', props: { text: 'Add to cart' } }),
      event({ id: 'a1-3', type: 'identify', anon: 'a1', session: 's1', t: '10T09:02:00.000', first: EMAIL, last: EMAIL, userId: 'ada', userHash: hmacHex(secret, 'ada'), traits: { email: 'ada@example.com', plan: 'gold' } }),
    ]);
    const v = await visitor(s.url, 'a1');
    const c = await postJson(`${s.url}/v1/chat/conversations`, { protocol: 1, siteKey: 'demo', token: v.token, clientId: 'c1', body: 'Do you ship to Romania?', sessionId: 's1' });
    expect(c.status).toBe(200);
    // …later returns from a Google search on her phone (anon a2), identifies (verified) and buys.
    await send([
      event({ id: 'a2-1', anon: 'a2', session: 's2', t: '12T18:00:00.000', first: SEARCH, last: SEARCH, path: '/' }),
      event({ id: 'a2-2', type: 'identify', anon: 'a2', session: 's2', t: '12T18:01:00.000', first: SEARCH, last: SEARCH, userId: 'ada', userHash: hmacHex(secret, 'ada') }),
      // This device's own first touch is the search: only the stitched customer remembers the newsletter.
      event({ id: 'a2-3', type: 'track', name: 'Order Completed', anon: 'a2', session: 's2', t: '12T18:05:00.000', first: SEARCH, last: SEARCH, props: { revenue: 129.5 } }),
    ]);
    // Mallory claims to be ada without a valid hash: her identify is stored, never merged.
    await send([
      event({ id: 'm-1', anon: 'm1', session: 's3', t: '12T19:00:00.000', first: DIRECT, last: DIRECT, path: '/account' }),
      event({ id: 'm-2', type: 'identify', anon: 'm1', session: 's3', t: '12T19:00:01.000', first: DIRECT, last: DIRECT, userId: 'ada', traits: { email: 'mallory@example.com' } }),
    ]);
    // A retried batch (same messageIds) must not count its session twice.
    await send([event({ id: 'a1-1', anon: 'a1', session: 's1', t: '10T09:00:00.000', first: EMAIL, last: EMAIL, path: '/boots' })]);
  }, 60_000);
  afterAll(async () => s?.close());

  it('stitches a verified user across devices into one profile with one timeline', async () => {
    const { status, body: p } = await get<CustomerProfile>('/sites/demo/customers/ada');
    expect(status).toBe(200);
    expect(p).toMatchObject({ userId: 'ada', verified: true, traits: { email: 'ada@example.com', plan: 'gold' } });
    expect(p.anonymousIds.sort()).toEqual(['a1', 'a2']);
    expect(p.firstTouch).toMatchObject({ channel: 'Email', source: 'newsletter' });
    expect(p.lastTouch).toMatchObject({ channel: 'Organic Search', source: 'google' });
    expect(p.sessions.map((x) => [x.sessionId, x.events])).toEqual([
      ['s2', 3],
      ['s1', 3],
    ]);
    expect(p.devices).toEqual(['Chrome on macOS (desktop)']);
    const kinds = p.timeline.map((i) => `${i.kind}:${i.label}`);
    expect(kinds).toEqual(expect.arrayContaining(['page:/boots', 'friction:Rage Click', 'event:Order Completed', 'identify:Identified']));
    const conv = p.timeline.find((i) => i.kind === 'conversation')!;
    expect(conv.transcript!.map((m) => m.body)).toContain('Do you ship to Romania?');
    // Newest first.
    expect(p.timeline[0]!.at >= p.timeline.at(-1)!.at).toBe(true);
    // Opening by either anonymous id leads to the same customer.
    expect((await get<CustomerProfile>('/sites/demo/customers/a2')).body.userId).toBe('ada');
  });

  it('never merges an unverified identify into someone else\'s history', async () => {
    const ada = (await get<CustomerProfile>('/sites/demo/customers/ada')).body;
    expect(ada.anonymousIds).not.toContain('m1');
    expect(ada.traits.email).toBe('ada@example.com');
    const m = (await get<CustomerProfile>('/sites/demo/customers/m1')).body;
    expect(m).toMatchObject({ verified: false, anonymousIds: ['m1'], unverifiedClaims: ['ada'] });
    expect(m.timeline.some((i) => i.label === 'Order Completed' || i.kind === 'conversation')).toBe(false);
  });

  it('finds customers by id, by email trait or any trait, and lists recent visitors', async () => {
    const find = async (q: string) => (await get<{ customers: CustomerRow[] }>(`/sites/demo/customers?q=${encodeURIComponent(q)}`)).body.customers.map((c) => c.id);
    expect(await find('ada')).toEqual(['ada']);
    expect(await find('ADA@example.com')).toContain('ada');
    expect(await find('gold')).toEqual(['ada']);
    expect(await find('mallory@')).toEqual(['m1']);
    expect(await find('nobody-like-this')).toEqual([]);
    const recent = (await get<{ customers: CustomerRow[] }>('/sites/demo/customers')).body.customers;
    // Ada's two devices fold into one row.
    expect(recent.map((c) => c.id).sort()).toEqual(['ada', 'm1']);
    expect(recent.find((c) => c.id === 'ada')).toMatchObject({ email: 'ada@example.com', sessions: 2 });
    // Found by a trait of one device, she is the same row as in the list: both devices, the same latest channel.
    const found = (await get<{ customers: CustomerRow[] }>('/sites/demo/customers?q=gold')).body.customers;
    const { online: _a, ...listed } = recent.find((c) => c.id === 'ada')!;
    const { online: _b, ...searched } = found[0]!;
    expect(searched).toEqual(listed);
    expect((await get('/sites/demo/customers/nope')).status).toBe(404);
  });

  it('credits Email under first touch and Organic Search under last touch', async () => {
    const report = async (model: string, extra = '') => (await get<AttributionReport>(`/sites/demo/attribution?from=2026-11-01&to=2026-11-30&model=${model}${extra}`)).body;
    const first = await report('first');
    // Under first touch, both of Ada's devices' sessions and her purchase belong to the newsletter that first brought her.
    // She is one visitor and one identified customer on two devices (she counted twice), and one of her two sessions converted.
    expect(first.rows.find((r) => r.key === 'Email')).toMatchObject({ sessions: 2, visitors: 1, conversations: 1, identified: 1, conversions: 1, revenue: 129.5, convertedSessions: 1, conversionRate: 50 });
    expect(first.rows.find((r) => r.key === 'Organic Search')).toBeUndefined();
    expect(first.rows.find((r) => r.key === 'Direct')).toMatchObject({ sessions: 1, conversions: 0 });
    const last = await report('last');
    expect(last.rows.find((r) => r.key === 'Organic Search')).toMatchObject({ sessions: 1, conversions: 1, revenue: 129.5 });
    expect(last.rows.find((r) => r.key === 'Email')).toMatchObject({ conversions: 0 });
    // Ada (two devices) and Mallory, whose unverified claim never makes her Ada.
    expect(last.totals).toMatchObject({ sessions: 3, visitors: 2, identified: 1, conversions: 1 });
    expect(last.series).toEqual(expect.arrayContaining([{ day: '2026-11-12', key: 'Organic Search', sessions: 1, conversions: 1, qualified: 0 }]));
    // Drill-down: the sources of one channel.
    const sources = await report('first', '&dimension=source&channel=Email');
    expect(sources.rows.map((r) => r.key)).toEqual(['newsletter']);
    // Date range: nothing before the 11th but Ada's first visit.
    const early = (await get<AttributionReport>('/sites/demo/attribution?from=2026-11-01&to=2026-11-10')).body;
    expect(early.totals.sessions).toBe(1);
  });

  it('exports the attribution table as CSV and refuses a bad parameter with a clear 400', async () => {
    const csv = await get<string>('/sites/demo/attribution.csv?from=2026-11-01&to=2026-11-30&model=last');
    expect(csv.status).toBe(200);
    expect(csv.body.split('\r\n')[0]).toBe('channel,sessions,visitors,conversations,identified,conversions,revenue,currency,convertedSessions,conversionRate,qualified,qualifiedRate');
    expect(csv.body).toContain('Organic Search,1,1,0,1,1,129.5,,1,100,0,');
    const bad = await get<{ error: { code: string; message: string } }>('/sites/demo/attribution?model=middle');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/model/);
  });

  it('never shows a conversion rate above 100 %, and sums revenue in the site\'s currency only', async () => {
    // A second order in the same session, in another currency than the site's.
    await send([event({ id: 'a2-4', type: 'track', name: 'Order Completed', anon: 'a2', session: 's2', t: '12T18:20:00.000', first: SEARCH, last: SEARCH, props: { revenue: 40, currency: 'EUR' } })]);
    const site = (await s.app.deps.sites.get('demo'))!;
    await s.app.deps.sites.configure('demo', site.name, site.allowedOrigins, { ...site.config, currency: 'USD' });
    const r = (await get<AttributionReport>('/sites/demo/attribution?from=2026-11-01&to=2026-11-30&model=last')).body;
    expect(r.currency).toBe('USD');
    // Two conversions, one converting session: 100 %, never 200 %. The EUR order is counted, its revenue is not added to dollars.
    expect(r.rows.find((x) => x.key === 'Organic Search')).toMatchObject({ sessions: 1, conversions: 2, convertedSessions: 1, conversionRate: 100, revenue: 129.5 });
    expect(r.totals.conversionRate).toBeLessThanOrEqual(100);
  });

  it('summarises the site on the overview: visitors now, friction pages, web vitals p75, open conversations', async () => {
    const track = (id: string, name: string, path: string, props: Record<string, unknown>) =>
      event({ id, type: 'track', name, anon: 'n1', session: 's-now', t: '', ts: clock.iso(-10_000), first: DIRECT, last: DIRECT, path, props });
    await send([
      track('n-1', 'Rage Click', '/checkout', {}),
      track('n-2', 'Rage Click', '/checkout', {}),
      track('n-3', 'Dead Click', '/cart', {}),
      ...[1000, 2000, 3000, 4000].map((v, i) => track(`n-v${i}`, 'Web Vital', '/checkout', { name: 'LCP', value: v, rating: v > 2500 ? 'poor' : 'good' })),
    ]);
    const o = (await get<Overview>('/sites/demo/overview')).body;
    expect(o.onlineNow).toBe(1);
    expect(o.today.visitors).toBe(1);
    expect(o.friction.map((f) => [f.path, f.rage, f.dead])).toEqual([
      ['/checkout', 2, 0],
      ['/cart', 0, 1],
    ]);
    // p75 of 1000, 2000, 3000, 4000 (continuous) = 3250.
    expect(o.vitals).toContainEqual({ path: '/checkout', metric: 'LCP', p75: 3250, n: 4 });
    expect(o.scores.map((x) => x.type)).toEqual(['ces', 'csat', 'nps']);
    // Ada's conversation is with the bot: neither open nor waiting for a person.
    expect([o.openConversations, o.waitingConversations]).toEqual([0, 0]);
  });

  it('starts a new "today" at midnight UTC while the visitor is still online', async () => {
    expect((await get<Overview>('/sites/demo/overview')).body).toMatchObject({ today: { visitors: 1 }, onlineNow: 1 });
    clock.advance(60_000); // 2026-12-01T00:00:30Z: a new day, a new month
    try {
      const o = (await get<Overview>('/sites/demo/overview')).body;
      expect(o).toMatchObject({ today: { visitors: 0, sessions: 0 }, onlineNow: 1 });
      // The default range is the last 30 days of the clock, today included: Ada's visits of the 10th and 12th are in it.
      expect((await get<AttributionReport>('/sites/demo/attribution?model=last')).body.totals.sessions).toBe(4);
      // An explicit range ends with its last day: December has nothing yet.
      expect((await get<AttributionReport>('/sites/demo/attribution?from=2026-12-01&to=2026-12-01')).body.totals.sessions).toBe(0);
    } finally {
      clock.set(NOW);
    }
  });

  it('answers nothing without an agent session', async () => {
    for (const path of ['/sites/demo/customers', '/sites/demo/customers.csv', '/sites/demo/customers/ada', '/sites/demo/attribution', '/sites/demo/attribution.csv', '/sites/demo/overview', '/sites']) {
      expect((await fetch(`${s.url}/v1/agent${path}`)).status, path).toBe(401);
    }
  });

  it('exports customers as CSV a spreadsheet never runs: a visitor-typed formula is quoted text; a bad query is a clear 400', async () => {
    // Last in the suite: this visitor joins the lists the tests above count.
    await send([
      event({ id: 'x1-1', type: 'identify', anon: 'x1', session: 'sx1', t: '20T10:00:00.000', first: DIRECT, last: DIRECT, userId: 'x-claim', traits: { name: '=HYPERLINK("https://evil.example","Ada")', email: '@SUM(1+1)@evil.example' } }),
    ]);
    const csv = await get<string>(`/sites/demo/customers.csv?q=${encodeURIComponent('evil.example')}`);
    expect(csv.status).toBe(200);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('id,userId,anonymousId,name,email,lastSeen,sessions,channel,online');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(`x1,,x1,"'=HYPERLINK(""https://evil.example"",""Ada"")","'@SUM(1+1)@evil.example",${at('20T10:00:00.000')},1,Direct,false`);
    const bad = await get<{ error: { code: string; message: string } }>(`/sites/demo/customers.csv?q=${'x'.repeat(300)}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/q/);
    expect((await get('/sites/nope/customers.csv')).status).toBe(404);
  });
});
