import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { testClock } from '../support/clock.js';
import { agent, postJson } from '../support/chat-client.js';
import { ensureAgents } from '../../server/agents.js';
import { hmacHex } from '../../server/lib/hmac.js';
import type { AttributionReport, AttributionRow } from '../../server/reports/attribution.js';

/**
 * Attribution's qualified stage (docs/console.md#attribution): a customer is
 * qualified once, at their first qualifying fact ever, and counts in the row
 * and period of the session it happened in — among that row's visitors, so
 * the rate (qualified ÷ visitors) never passes 100 %.
 *
 * May 2026, site in UTC:
 * - Ada, stitched by verified identifies: laptop from the newsletter (2 May),
 *   phone from Paid Search (10 May: `Lead Qualified`, verified trait plan=pro;
 *   12 May: `Lead Qualified` again and an order).
 * - Bob, anonymous, Organic Search (5 May): `Lead Qualified` without signing
 *   in, and an unverified claim plan=free.
 * - Cy, anonymous, Email (6 May): nothing.
 * - Dee, anonymous: qualified on 20 April (Referral); again on 8 May (a visit
 *   from Email, her device's first touch still Referral) — not a May lead.
 * - Mallory claims to be Ada without a hash, trait plan=pro (9 May, Direct):
 *   her own customer, with her own trait.
 * - Eve, verified (11 May, Organic Social), then an *unverified* identify
 *   with plan=pro: a verified customer's traits come from verified identifies only.
 */
const NOW = '2026-05-20T12:00:00.000Z';
const MAY = 'from=2026-05-01&to=2026-05-20';
const APRIL = 'from=2026-04-01&to=2026-04-30';

type Touch = { channel: string; source?: string; medium?: string };
const EMAIL: Touch = { channel: 'Email', source: 'newsletter', medium: 'email' };
const PAID: Touch = { channel: 'Paid Search', source: 'google', medium: 'cpc' };
const ORGANIC: Touch = { channel: 'Organic Search', source: 'google', medium: 'organic' };
const REFERRAL: Touch = { channel: 'Referral', source: 'blog.example', medium: 'referral' };
const SOCIAL: Touch = { channel: 'Organic Social', source: 'mastodon', medium: 'social' };
const DIRECT: Touch = { channel: 'Direct', source: '(direct)', medium: '(none)' };

let n = 0;
const event = (o: { type?: string; name?: string; anon: string; session: string; ts: string; touch: Touch; first?: Touch; userId?: string; userHash?: string; traits?: Record<string, unknown> }) => {
  const type = o.type ?? 'page';
  const touch = { ...o.touch, timestamp: o.ts };
  return {
    type,
    messageId: `q-${++n}`,
    anonymousId: o.anon,
    timestamp: o.ts,
    ...(type === 'track' ? { event: o.name, properties: {} } : type === 'page' ? { properties: {} } : {}),
    ...(o.userId ? { userId: o.userId } : {}),
    ...(o.userHash ? { userHash: o.userHash } : {}),
    ...(o.traits ? { traits: o.traits } : {}),
    context: { session: { id: o.session }, page: { url: 'https://shop.example/', path: '/' }, attribution: { first: o.first ? { ...o.first, timestamp: o.ts } : touch, session: touch, last: touch } },
  };
};

describe.each(STORES)('attribution counts qualified customers on $name', ({ databaseUrl }) => {
  const clock = testClock(NOW);
  let s: TestServer;
  let cookie: string;
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${s.url}/v1/agent${path}`, { method, headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: r.status, body: r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text() };
  };
  const report = async (q: string): Promise<AttributionReport> => {
    const r = await call('GET', `/sites/demo/attribution?${q}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as AttributionReport;
  };
  const qualify = async (qualified: unknown) => call('PUT', '/sites/demo/site-settings', { qualified });
  /** Each row as `key: qualified/visitors (rate)`, for exact comparison. */
  const stage = (rows: AttributionRow[]) => Object.fromEntries(rows.map((r) => [r.key, `${r.qualified}/${r.visitors} (${r.qualifiedRate})`]));

  beforeAll(async () => {
    s = await startServer({ databaseUrl: await databaseUrl(), now: clock });
    const secret = (await s.app.deps.sites.get('demo'))!.secret;
    const ada = { userId: 'ada', userHash: hmacHex(secret, 'ada') };
    const eve = { userId: 'eve', userHash: hmacHex(secret, 'eve') };
    const creds = (await ensureAgents(s.store, ''))!;
    cookie = (await agent(s.url, creds.email, creds.password)).cookie;
    const send = async (batch: unknown[]) => {
      const r = await postJson(`${s.url}/v1/batch?site=demo`, { protocol: 1, sentAt: clock.iso(), batch });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    };
    await send([
      event({ anon: 'qa1', session: 'qs1', ts: '2026-05-02T09:00:00.000Z', touch: EMAIL }),
      event({ type: 'identify', anon: 'qa1', session: 'qs1', ts: '2026-05-02T09:01:00.000Z', touch: EMAIL, ...ada }),
      event({ anon: 'qa2', session: 'qs2', ts: '2026-05-10T09:00:00.000Z', touch: PAID }),
      event({ type: 'identify', anon: 'qa2', session: 'qs2', ts: '2026-05-10T09:01:00.000Z', touch: PAID, ...ada, traits: { plan: 'pro' } }),
      event({ type: 'track', name: 'Lead Qualified', anon: 'qa2', session: 'qs2', ts: '2026-05-10T09:02:00.000Z', touch: PAID }),
      event({ anon: 'qa2', session: 'qs3', ts: '2026-05-12T09:00:00.000Z', touch: PAID }),
      event({ type: 'track', name: 'Lead Qualified', anon: 'qa2', session: 'qs3', ts: '2026-05-12T09:01:00.000Z', touch: PAID }),
      event({ type: 'track', name: 'Order Completed', anon: 'qa2', session: 'qs3', ts: '2026-05-12T09:02:00.000Z', touch: PAID }),
    ]);
    await send([
      event({ anon: 'qb1', session: 'qs4', ts: '2026-05-05T10:00:00.000Z', touch: ORGANIC }),
      event({ type: 'track', name: 'Lead Qualified', anon: 'qb1', session: 'qs4', ts: '2026-05-05T10:01:00.000Z', touch: ORGANIC }),
      event({ type: 'identify', anon: 'qb1', session: 'qs4', ts: '2026-05-05T10:02:00.000Z', touch: ORGANIC, userId: 'bob', traits: { plan: 'free' } }),
      event({ anon: 'qc1', session: 'qs5', ts: '2026-05-06T10:00:00.000Z', touch: EMAIL }),
      event({ anon: 'qd1', session: 'qs6', ts: '2026-04-20T10:00:00.000Z', touch: REFERRAL }),
      event({ type: 'track', name: 'Lead Qualified', anon: 'qd1', session: 'qs6', ts: '2026-04-20T10:01:00.000Z', touch: REFERRAL }),
      event({ anon: 'qd1', session: 'qs7', ts: '2026-05-08T10:00:00.000Z', touch: EMAIL, first: REFERRAL }),
      event({ type: 'track', name: 'Lead Qualified', anon: 'qd1', session: 'qs7', ts: '2026-05-08T10:01:00.000Z', touch: EMAIL, first: REFERRAL }),
      event({ anon: 'qm1', session: 'qs8', ts: '2026-05-09T10:00:00.000Z', touch: DIRECT }),
      event({ type: 'identify', anon: 'qm1', session: 'qs8', ts: '2026-05-09T10:01:00.000Z', touch: DIRECT, userId: 'ada', traits: { plan: 'pro' } }),
      event({ anon: 'qe1', session: 'qs9', ts: '2026-05-11T10:00:00.000Z', touch: SOCIAL }),
      event({ type: 'identify', anon: 'qe1', session: 'qs9', ts: '2026-05-11T10:01:00.000Z', touch: SOCIAL, ...eve }),
      event({ type: 'identify', anon: 'qe1', session: 'qs9', ts: '2026-05-11T10:02:00.000Z', touch: SOCIAL, userId: 'eve', traits: { plan: 'pro' } }),
    ]);
  }, 90_000);
  afterAll(async () => s?.close());

  it('counts no one as qualified, and says so, while the site names no goal', async () => {
    const a = await report(`${MAY}&model=first`);
    expect(a.qualifiedGoal).toBeNull();
    expect(a.totals).toMatchObject({ qualified: 0, qualifiedRate: null, visitors: 6 });
    expect(a.rows.every((r) => r.qualified === 0 && r.qualifiedRate === null)).toBe(true);
    expect(a.series.length).toBeGreaterThan(0);
    expect(a.series.every((p) => p.qualified === 0)).toBe(true);
  });

  it('credits a Lead Qualified event to the customer\'s first touch, and under last touch to the session it first happened in', async () => {
    expect((await qualify({ type: 'event', name: 'Lead Qualified' })).status).toBe(200);
    const first = await report(`${MAY}&model=first`);
    expect(first.qualifiedGoal).toEqual({ type: 'event', name: 'Lead Qualified' });
    // Ada's newsletter brought her; Bob qualified without ever signing in; Dee was a lead in April already.
    expect(stage(first.rows)).toEqual({ Email: '1/2 (50)', 'Organic Search': '1/1 (100)', Referral: '0/1 (0)', Direct: '0/1 (0)', 'Organic Social': '0/1 (0)' });
    expect(first.rows.find((r) => r.key === 'Email')).toMatchObject({ sessions: 4, identified: 1, conversions: 1 });
    expect(first.totals).toMatchObject({ sessions: 8, visitors: 6, identified: 2, qualified: 2, qualifiedRate: 33.3, conversions: 1 });
    const last = await report(`${MAY}&model=last`);
    // Ada's first Lead Qualified was on the phone's Paid Search visit (the second, on 12 May, does not count her twice).
    expect(stage(last.rows)).toEqual({ Email: '0/3 (0)', 'Paid Search': '1/1 (100)', 'Organic Search': '1/1 (100)', Direct: '0/1 (0)', 'Organic Social': '0/1 (0)' });
    expect(last.totals).toMatchObject({ qualified: 2, qualifiedRate: 33.3 });
    // Dee counts once, in April, where her first qualifying visit started.
    const april = await report(`${APRIL}&model=last`);
    expect(stage(april.rows)).toEqual({ Referral: '1/1 (100)' });
    // Rows add up to the total: each customer is in one row.
    for (const a of [first, last]) expect(a.rows.reduce((k, r) => k + r.qualified, 0)).toBe(a.totals.qualified);
  });

  it('splits the qualified customers of each row by the day their qualifying session started, the same count as the table', async () => {
    expect((await qualify({ type: 'event', name: 'Lead Qualified' })).status).toBe(200);
    /** The chart's qualified points, as `day key n`. */
    const days = (a: AttributionReport) => a.series.filter((p) => p.qualified).map((p) => `${p.day} ${p.key} ${p.qualified}`);
    const first = await report(`${MAY}&model=first`);
    // Ada qualified on the phone's visit of 10 May, credited to her newsletter first touch; Bob on 5 May.
    expect(days(first)).toEqual(['2026-05-05 Organic Search 1', '2026-05-10 Email 1']);
    const last = await report(`${MAY}&model=last`);
    // Her second Lead Qualified (12 May) adds no point: a customer qualifies once.
    expect(days(last)).toEqual(['2026-05-05 Organic Search 1', '2026-05-10 Paid Search 1']);
    expect(days(await report(`${APRIL}&model=last`))).toEqual(['2026-04-20 Referral 1']);
    // The day series and the table are one count: each row's days add up to it.
    for (const a of [first, last]) for (const r of a.rows) expect(a.series.filter((p) => p.key === r.key).reduce((k, p) => k + p.qualified, 0), r.key).toBe(r.qualified);
    // Points keep their sessions beside: Ada's qualifying day under last touch is one Paid Search session.
    expect(last.series.find((p) => p.day === '2026-05-10' && p.key === 'Paid Search')).toEqual({ day: '2026-05-10', key: 'Paid Search', sessions: 1, conversions: 0, qualified: 1 });
  });

  it('qualifies by a trait: equal to a value or merely present, from verified identifies for a verified customer', async () => {
    expect((await qualify({ type: 'trait', name: 'plan', equals: 'pro' })).status).toBe(200);
    const pro = await report(`${MAY}&model=first`);
    // Ada (verified plan=pro) and Mallory (her own claim); not Eve, whose plan=pro came unverified.
    expect(stage(pro.rows)).toEqual({ Email: '1/2 (50)', 'Organic Search': '0/1 (0)', Referral: '0/1 (0)', Direct: '1/1 (100)', 'Organic Social': '0/1 (0)' });
    expect((await qualify({ type: 'trait', name: 'plan' })).status).toBe(200);
    const any = await report(`${MAY}&model=last`);
    // Any plan: Bob's "free" counts too.
    expect(stage(any.rows)).toEqual({ Email: '0/3 (0)', 'Paid Search': '1/1 (100)', 'Organic Search': '1/1 (100)', Direct: '1/1 (100)', 'Organic Social': '0/1 (0)' });
    expect(any.totals).toMatchObject({ qualified: 3, qualifiedRate: 50 });
  });

  it('keeps the goal in the site settings, exports the stage in the CSV, and removes it with null', async () => {
    await qualify({ type: 'event', name: 'Lead Qualified' });
    const settings = await call('GET', '/sites/demo/site-settings');
    expect((settings.body as { settings: { qualified?: unknown; config?: Record<string, unknown> } }).settings.qualified).toEqual({ type: 'event', name: 'Lead Qualified' });
    expect((settings.body as { settings: { config?: Record<string, unknown> } }).settings.config?.qualified).toBeUndefined();
    const csv = (await call('GET', `/sites/demo/attribution.csv?${MAY}&model=last`)).body as string;
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('channel,sessions,visitors,conversations,identified,conversions,revenue,currency,convertedSessions,conversionRate,qualified,qualifiedRate');
    expect(lines).toContain('Paid Search,2,1,0,1,1,0,,1,50,1,100');
    expect((await qualify(null)).status).toBe(200);
    expect((await report(MAY)).qualifiedGoal).toBeNull();
  });

  it('refuses a goal it could not count, naming the field, and keeps the old one', async () => {
    await qualify({ type: 'event', name: 'Lead Qualified' });
    for (const [bad, path] of [
      [{ type: 'score', name: 'x' }, '/qualified/type'],
      [{ type: 'trait', name: '' }, '/qualified/name'],
      [{ type: 'event', name: 'x'.repeat(65) }, '/qualified/name'],
      [{ type: 'event', name: 'Lead\u0000Qualified' }, '/qualified/name'],
      [{ type: 'event', name: 'Lead Qualified', sql: "'; DROP TABLE events; --" }, '/qualified'],
      ['Lead Qualified', '/qualified'],
    ] as const) {
      const r = await qualify(bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect((r.body as { error: { code: string; message: string } }).error.message, JSON.stringify(bad)).toContain(path);
    }
    expect((await report(MAY)).qualifiedGoal).toEqual({ type: 'event', name: 'Lead Qualified' });
    // A name made of SQL is a name: it matches no event, and breaks nothing.
    expect((await qualify({ type: 'trait', name: "plan' OR 1=1 --", equals: "x' OR '1'='1" })).status).toBe(200);
    expect((await report(MAY)).totals.qualified).toBe(0);
  });

  it('answers exactly the declared shape (the route\'s response schema)', async () => {
    const a = await report(MAY);
    expect(Object.keys(a).sort()).toEqual(['channel', 'currency', 'dimension', 'goals', 'model', 'qualifiedGoal', 'range', 'rows', 'series', 'totals']);
    expect(Object.keys(a.rows[0]!).sort()).toEqual(['conversations', 'conversionRate', 'conversions', 'convertedSessions', 'identified', 'key', 'qualified', 'qualifiedRate', 'revenue', 'sessions', 'visitors']);
  });
});
