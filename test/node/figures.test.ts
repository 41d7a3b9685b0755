import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { testClock } from '../support/clock.js';
import { agent, postJson } from '../support/chat-client.js';
import { ensureAgents } from '../../server/agents.js';
import { hmacHex } from '../../server/lib/hmac.js';
import type { CustomerProfile } from '../../server/customers/customer-profile.js';
import type { CustomerRow } from '../../server/customers/find-customers.js';
import type { AttributionReport } from '../../server/reports/attribution.js';
import type { Overview } from '../../server/reports/overview.js';
import type { SurveyReport } from '../../server/reports/survey-report.js';
import type { SurveyDefinition } from '../../src/protocol/survey.js';

/**
 * One dataset, every page: the customers list, a search by trait, the
 * profile, the overview, attribution (both models, API and CSV) and the
 * survey report must give the same number for the same figure
 * (docs/console.md#definitions).
 *
 * Tuesday 31 March 2026, 10:00 UTC. Berlin went to summer time on Sunday the
 * 29th (that day has 23 hours), so the week is a DST week; Shanghai is +8 all
 * year. The site starts in Europe/Berlin and moves to Asia/Shanghai.
 */
const NOW = '2026-03-31T10:00:00.000Z';
const MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

type Touch = { channel: string; source?: string; medium?: string };
const EMAIL: Touch = { channel: 'Email', source: 'newsletter', medium: 'email' };
const PAID: Touch = { channel: 'Paid Search', source: 'google', medium: 'cpc' };
const DIRECT: Touch = { channel: 'Direct', source: '(direct)', medium: '(none)' };

const CES: SurveyDefinition = { id: 'after-order', version: 1, questions: [{ id: 'effort', type: 'ces' }] };

const event = (o: { id: string; type?: string; name?: string; anon: string; session: string; ts: string; touch: Touch; ua?: string; props?: Record<string, unknown>; userId?: string; userHash?: string; traits?: Record<string, unknown> }) => {
  const type = o.type ?? 'page';
  const touch = { ...o.touch, timestamp: o.ts };
  return {
    type,
    messageId: o.id,
    anonymousId: o.anon,
    timestamp: o.ts,
    ...(type === 'track' ? { event: o.name, properties: o.props ?? {} } : type === 'page' ? { properties: {} } : {}),
    ...(o.userId ? { userId: o.userId } : {}),
    ...(o.userHash ? { userHash: o.userHash } : {}),
    ...(o.traits ? { traits: o.traits } : {}),
    context: {
      session: { id: o.session },
      page: { url: 'https://shop.example/', path: '/' },
      userAgent: o.ua ?? MAC,
      attribution: { first: touch, session: touch, last: touch },
    },
  };
};

describe.each(STORES)('every page gives the same figures on $name', ({ databaseUrl }) => {
  const clock = testClock(NOW);
  let s: TestServer;
  let cookie: string;
  const get = async <T>(path: string): Promise<T> => {
    const r = await fetch(`${s.url}/v1/agent${path}`, { headers: { cookie } });
    expect(r.status, path).toBe(200);
    return (r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text()) as T;
  };
  const send = async (batch: unknown[], responses?: unknown[]) => {
    const r = await postJson(`${s.url}/v1/batch?site=demo`, { protocol: 1, sentAt: clock.iso(), batch, ...(responses ? { responses } : {}) });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  const zone = async (timeZone: string) => {
    const site = (await s.app.deps.sites.get('demo'))!;
    await s.app.deps.sites.configure('demo', site.name, site.allowedOrigins, { ...site.config, timeZone, currency: 'USD', surveys: [CES] });
  };

  beforeAll(async () => {
    s = await startServer({ databaseUrl: await databaseUrl(), now: clock });
    await zone('Europe/Berlin');
    const secret = (await s.app.deps.sites.get('demo'))!.secret;
    const ada = { userId: 'ada', userHash: hmacHex(secret, 'ada') };
    const creds = (await ensureAgents(s.store, ''))!;
    cookie = (await agent(s.url, creds.email, creds.password)).cookie;
    // Ada, laptop (fa1): Friday evening from the newsletter (Berlin the 27th, Shanghai already the 28th); identifies.
    await send([
      event({ id: 'f1-1', anon: 'fa1', session: 'f1', ts: '2026-03-27T20:00:00.000Z', touch: EMAIL }),
      event({ id: 'f1-2', type: 'identify', anon: 'fa1', session: 'f1', ts: '2026-03-27T20:01:00.000Z', touch: EMAIL, ...ada, traits: { name: 'Ada Lovelace', plan: 'pro' } }),
    ]);
    // Ada, phone (fa2): half past midnight on Monday the 30th in Berlin (22:30 UTC on the 29th, the short day's end), buys for 100 USD and answers the survey.
    await send(
      [
        event({ id: 'f2-1', anon: 'fa2', session: 'f2', ts: '2026-03-29T22:30:00.000Z', touch: PAID, ua: IPHONE }),
        event({ id: 'f2-2', type: 'identify', anon: 'fa2', session: 'f2', ts: '2026-03-29T22:31:00.000Z', touch: PAID, ua: IPHONE, ...ada }),
        event({ id: 'f2-3', type: 'track', name: 'Order Completed', anon: 'fa2', session: 'f2', ts: '2026-03-29T22:40:00.000Z', touch: PAID, ua: IPHONE, props: { revenue: 100, currency: 'USD' } }),
      ],
      [{ responseId: 'r1', surveyId: 'after-order', surveyVersion: 1, questionId: 'effort', value: 2, final: true, anonymousId: 'fa2', userId: 'ada', sessionId: 'f2', timestamp: '2026-03-29T22:45:00.000Z', url: 'https://shop.example/done' }],
    );
    // A late event (an offline outbox): the laptop's first page of that Friday arrives now, earlier than the session's start.
    await send([event({ id: 'f1-0', anon: 'fa1', session: 'f1', ts: '2026-03-27T19:55:00.000Z', touch: EMAIL })]);
    // Ada's laptop again this morning, direct.
    await send([event({ id: 'f5-1', anon: 'fa1', session: 'f5', ts: '2026-03-31T07:00:00.000Z', touch: DIRECT })]);
    // Bob, never identified, from Paid Search: two orders in one session (one in EUR, not added to dollars), on the site now.
    await send([
      event({ id: 'f3-1', anon: 'fb1', session: 'f3', ts: '2026-03-31T08:00:00.000Z', touch: PAID }),
      event({ id: 'f3-2', type: 'track', name: 'Order Completed', anon: 'fb1', session: 'f3', ts: '2026-03-31T08:10:00.000Z', touch: PAID, props: { revenue: 20, currency: 'USD' } }),
      event({ id: 'f3-3', type: 'track', name: 'Order Completed', anon: 'fb1', session: 'f3', ts: '2026-03-31T09:59:00.000Z', touch: PAID, props: { revenue: 30, currency: 'EUR' } }),
    ]);
    // Mallory claims to be Ada without a hash: her own customer.
    await send([
      event({ id: 'f4-1', anon: 'fm1', session: 'f4', ts: '2026-03-31T09:00:00.000Z', touch: DIRECT }),
      event({ id: 'f4-2', type: 'identify', anon: 'fm1', session: 'f4', ts: '2026-03-31T09:00:05.000Z', touch: DIRECT, userId: 'ada', traits: { plan: 'pro' } }),
    ]);
  }, 90_000);
  afterAll(async () => s?.close());

  const WEEK = 'from=2026-03-23&to=2026-03-31';
  const TODAY = 'from=2026-03-31&to=2026-03-31';

  it('shows a customer with the same sessions and channel in the list, in a search by trait and on the profile', async () => {
    const list = (await get<{ customers: CustomerRow[]; onlineNow: number }>('/sites/demo/customers')).customers;
    const found = (await get<{ customers: CustomerRow[] }>('/sites/demo/customers?q=pro')).customers;
    const profile = await get<CustomerProfile>('/sites/demo/customers/ada');
    const ada = list.find((c) => c.id === 'ada')!;
    expect(ada).toMatchObject({ sessions: 3, channel: 'Direct', name: 'Ada Lovelace' });
    // "pro" is a trait of Ada's laptop and of Mallory: both whole customers, Ada as listed.
    expect(found.map((c) => c.id).sort()).toEqual(['ada', 'fm1']);
    expect(found.find((c) => c.id === 'ada')).toEqual(ada);
    expect(profile.sessions).toHaveLength(ada.sessions);
    expect(profile.sessions[0]!.channel).toBe(ada.channel);
    expect(profile.devices).toHaveLength(2);
    // The late event moved the laptop's Friday session back to its first page.
    expect(profile.sessions.find((x) => x.sessionId === 'f1')!.startedAt).toBe('2026-03-27T19:55:00.000Z');
    expect(profile).toMatchObject({ conversions: 1, revenue: 100, currency: 'USD' });
    expect(await get<CustomerProfile>('/sites/demo/customers/fb1')).toMatchObject({ conversions: 2, revenue: 20, currency: 'USD' });
    // Ada, Bob and Mallory: three customers, however many devices.
    expect(list).toHaveLength(3);
  });

  it('exports the customers list and a search as CSV with the same rows and numbers as the page', async () => {
    const rows = (csv: string) => {
      const [head, ...lines] = csv.trim().split('\r\n');
      const cols = head!.split(',');
      return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
    };
    // The page's row as the CSV writes it: text as is, numbers and booleans as text, null empty.
    const asCsv = (c: CustomerRow) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v === null ? '' : String(v)]));
    for (const q of ['', '?q=pro']) {
      const page = (await get<{ customers: CustomerRow[] }>(`/sites/demo/customers${q}`)).customers;
      const csv = rows(await get<string>(`/sites/demo/customers.csv${q}`));
      expect(csv, q).toEqual(page.map(asCsv));
    }
    // Ada's line: her three sessions on two devices, the channel of her latest.
    expect(rows(await get<string>('/sites/demo/customers.csv')).find((r) => r.id === 'ada')).toMatchObject({ sessions: '3', channel: 'Direct', name: 'Ada Lovelace' });
  });

  it("counts today's figures alike on the overview and in attribution, from local midnight", async () => {
    const o = await get<Overview>('/sites/demo/overview');
    for (const model of ['first', 'last']) {
      const a = await get<AttributionReport>(`/sites/demo/attribution?${TODAY}&model=${model}`);
      const { conversionRate, convertedSessions, conversions, identified, revenue, sessions, visitors } = a.totals;
      expect({ sessions, visitors, identified, conversions, convertedSessions, conversionRate, revenue, currency: a.currency }).toEqual(o.today);
    }
    // Ada's laptop, Bob and Mallory started sessions today; Bob's session converted (twice: 1 of 3 sessions, never 2 of 3).
    expect(o.today).toEqual({ sessions: 3, visitors: 3, identified: 1, conversions: 2, convertedSessions: 1, conversionRate: 33.3, revenue: 20, currency: 'USD' });
    expect(o.onlineNow).toBe(1);
    expect(o.timeZone).toBe('Europe/Berlin');
  });

  it('gives the same week in attribution (API and CSV, both models) as the customers and profiles it is made of', async () => {
    const profiles = await Promise.all(['ada', 'fb1', 'fm1'].map((id) => get<CustomerProfile>(`/sites/demo/customers/${id}`)));
    for (const model of ['first', 'last']) {
      const a = await get<AttributionReport>(`/sites/demo/attribution?${WEEK}&model=${model}`);
      expect(a.totals).toMatchObject({ sessions: 5, visitors: 3, identified: 1, conversions: 3, convertedSessions: 2, conversionRate: 40, revenue: 120 });
      expect(a.totals.sessions).toBe(profiles.reduce((n, p) => n + p.sessions.length, 0));
      expect(a.totals.conversions).toBe(profiles.reduce((n, p) => n + p.conversions, 0));
      expect(a.totals.revenue).toBe(profiles.reduce((n, p) => n + p.revenue, 0));
      // Rows split sessions and conversions between channels: they add up to the totals, and no rate passes 100 %.
      expect(a.rows.reduce((n, r) => n + r.sessions, 0)).toBe(a.totals.sessions);
      expect(a.rows.reduce((n, r) => n + r.conversions, 0)).toBe(a.totals.conversions);
      for (const r of a.rows) expect(r.conversionRate ?? 0).toBeLessThanOrEqual(100);
      // The CSV is the table.
      const csv = (await get<string>(`/sites/demo/attribution.csv?${WEEK}&model=${model}`)).trim().split('\r\n');
      const col = (name: string) => csv[0]!.split(',').indexOf(name);
      const sum = (name: string) => csv.slice(1).reduce((n, line) => n + Number(line.split(',')[col(name)]), 0);
      expect([sum('sessions'), sum('conversions'), sum('revenue')]).toEqual([a.totals.sessions, a.totals.conversions, a.totals.revenue]);
      expect(csv.slice(1).every((line) => line.split(',')[col('currency')] === 'USD')).toBe(true);
    }
    // Ada is one customer on two devices under first touch: the newsletter that first brought her.
    const first = await get<AttributionReport>(`/sites/demo/attribution?${WEEK}&model=first`);
    expect(first.rows.find((r) => r.key === 'Email')).toMatchObject({ sessions: 3, visitors: 1, identified: 1, conversions: 1, revenue: 100 });
  });

  it("cuts days at the site's midnight: the phone's visit after midnight in Berlin is Monday the 30th, in the DST week", async () => {
    const a = await get<AttributionReport>(`/sites/demo/attribution?${WEEK}&model=last`);
    expect(a.series.filter((p) => p.sessions).map((p) => `${p.day} ${p.key}`)).toEqual(['2026-03-27 Email', '2026-03-30 Paid Search', '2026-03-31 Direct', '2026-03-31 Paid Search']);
    const r = await get<SurveyReport>(`/sites/demo/surveys/after-order/report?${WEEK}`);
    expect(r.responses).toBe(1);
    expect(r.trend.filter((t) => t.n)).toEqual([{ day: '2026-03-30', n: 1, score: 0 }]);
    expect(r.trend).toHaveLength(9);
    expect(r.low.map((l) => [l.anonymousId, l.userId])).toEqual([['fa2', 'ada']]);
    // The overview's weeks are the site's: Monday the 30th starts the week of the answer; earlier weeks are there, empty.
    const o = await get<Overview>('/sites/demo/overview');
    const ces = o.scores.find((x) => x.type === 'ces')!;
    expect(ces.trend).toHaveLength(8);
    expect(ces.trend.at(-1)).toEqual({ week: '2026-03-30', n: 1, score: 0 });
    expect(ces.trend.slice(0, -1).every((t) => t.n === 0 && t.score === null)).toBe(true);
    // The answers CSV has the one answer of the week.
    const csv = (await get<string>(`/sites/demo/surveys/after-order/answers.csv?${WEEK}`)).trim().split('\r\n');
    expect(csv).toHaveLength(2);
  });

  it('moves every day boundary with the site: in Shanghai the Friday visit is Saturday the 28th, and today still agrees', async () => {
    await zone('Asia/Shanghai');
    try {
      const a = await get<AttributionReport>(`/sites/demo/attribution?${WEEK}&model=last`);
      expect(a.series.filter((p) => p.sessions).map((p) => `${p.day} ${p.key}`)).toEqual(['2026-03-28 Email', '2026-03-30 Paid Search', '2026-03-31 Direct', '2026-03-31 Paid Search']);
      const o = await get<Overview>('/sites/demo/overview');
      const t = (await get<AttributionReport>(`/sites/demo/attribution?${TODAY}`)).totals;
      expect(o.timeZone).toBe('Asia/Shanghai');
      expect(o.today).toMatchObject({ sessions: t.sessions, visitors: t.visitors, identified: t.identified, conversions: t.conversions, revenue: t.revenue });
      // 18:00 in Shanghai: the day began at 16:00 UTC yesterday, so today is the same three sessions.
      expect(o.today.sessions).toBe(3);
      // The survey answer (06:45 on the 30th in Shanghai) is still on the 30th.
      expect((await get<SurveyReport>(`/sites/demo/surveys/after-order/report?${WEEK}`)).trend.filter((x) => x.n).map((x) => x.day)).toEqual(['2026-03-30']);
    } finally {
      await zone('Europe/Berlin');
    }
  });
});
