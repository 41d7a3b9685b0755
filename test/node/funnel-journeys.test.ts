import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { testClock } from '../support/clock.js';
import { agent, postJson } from '../support/chat-client.js';
import { ensureAgents } from '../../server/agents.js';
import type { FunnelReport } from '../../server/reports/funnel.js';

// How the funnel reads journeys (server/reports/funnel-journeys.ts): who met step 1 from each session's pages, the autocaptured
// events only when a step names one, a step-1 view in someone else's session or without a session. Exact counts on both stores.
let n = 0;
const ev = (anon: string, session: string | null, ts: string, path: string, name?: string) => ({
  type: name ? 'track' : 'page',
  messageId: `fj-${++n}`,
  anonymousId: anon,
  timestamp: `2026-11-${ts}Z`,
  ...(name ? { event: name, properties: {} } : { properties: {} }),
  context: { ...(session ? { session: { id: session } } : {}), page: { url: `https://shop.example${path}`, path } },
});

describe.each(STORES)('funnel journeys on $name', ({ databaseUrl }) => {
  const clock = testClock('2026-11-30T12:00:00.000Z');
  let s: TestServer;
  let cookie: string;
  const funnel = async (body: unknown, q = '?from=2026-11-01&to=2026-11-30') => {
    const r = await fetch(`${s.url}/v1/agent/sites/demo/funnel${q}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(r.status).toBe(200);
    return ((await r.json()) as FunnelReport).steps.map((x) => x.count);
  };

  beforeAll(async () => {
    s = await startServer({ databaseUrl: await databaseUrl(), now: clock });
    cookie = (await agent(s.url, ...(Object.values((await ensureAgents(s.store, ''))!).slice(0, 2) as [string, string]))).cookie;
    const batch = [
      // k1 clicks a size button (autocaptured) on the shoe page, k2 only looks.
      ev('k1', 'k-s1', '03T10:00:00.000', '/shoe'),
      ev('k1', 'k-s1', '03T10:00:10.000', '/shoe', 'Element Clicked'),
      ev('k1', 'k-s1', '03T10:00:20.000', '/shoe', 'Web Vital'),
      ev('k2', 'k-s2', '03T11:00:00.000', '/shoe'),
      // One long session each: k3 views the hat on the 5th and the 7th, k4 on the 5th, 6th and 7th.
      ev('k3', 'k-s3', '05T23:00:00.000', '/hat'),
      ev('k3', 'k-s3', '07T01:00:00.000', '/hat'),
      ev('k3', 'k-s3', '07T01:01:00.000', '/hat', 'Hat Bought'),
      ev('k4', 'k-s4', '05T23:00:00.000', '/hat'),
      ev('k4', 'k-s4', '06T12:00:00.000', '/hat'),
      ev('k4', 'k-s4', '07T01:00:00.000', '/hat'),
      ev('k4', 'k-s4', '07T01:01:00.000', '/hat', 'Hat Bought'),
      // g2 opens the scarf page in g1's session (a shared tab), then buys it in a session of their own.
      ev('g1', 'g-s1', '10T10:00:00.000', '/'),
      ev('g2', 'g-s1', '10T10:01:00.000', '/scarf'),
      ev('g2', 'g-s2', '10T12:00:00.000', '/scarf/checkout'),
      // w1 reaches the gloves page without a session (a server-rendered step), then checks out in a session.
      ev('w1', null, '12T10:00:00.000', '/gloves'),
      ev('w1', 'w-s1', '12T10:05:00.000', '/gloves/checkout'),
    ];
    const r = await postJson(`${s.url}/v1/batch?site=demo`, { protocol: 1, sentAt: clock.iso(), batch });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }, 60_000);
  afterAll(async () => s?.close());

  it('counts an autocaptured event a step names (a click, a web vital), per customer and per session', async () => {
    expect(await funnel({ steps: [{ page: '/shoe' }, { event: 'Element Clicked' }, { event: 'Web Vital' }] })).toEqual([2, 1, 1]);
    expect(await funnel({ steps: [{ page: '/shoe' }, { event: 'Element Clicked' }], unit: 'session' })).toEqual([2, 1]);
  });

  it('enters a session that viewed step 1 inside the range, not one that viewed it only before and after it', async () => {
    // The 6th alone: k3's session viewed the hat before and after that day, never during it; k4's did.
    const q = '?from=2026-11-06&to=2026-11-06';
    expect(await funnel({ steps: [{ page: '/hat' }, { event: 'Hat Bought' }] }, q)).toEqual([1, 1]);
    expect(await funnel({ steps: [{ page: '/hat' }, { event: 'Hat Bought' }], unit: 'session' }, q)).toEqual([1, 1]);
    expect(await funnel({ steps: [{ page: '/hat' }, { event: 'Hat Bought' }] })).toEqual([2, 2]);
  });

  it('follows a visitor whose step 1 was in someone else’s session, or in no session, into their own sessions', async () => {
    expect(await funnel({ steps: [{ page: '/scarf' }, { page: '/scarf/checkout' }] })).toEqual([1, 1]);
    expect(await funnel({ steps: [{ page: '/gloves' }, { page: '/gloves/checkout' }] })).toEqual([1, 1]);
    // Per session, neither continues in the session where step 1 was.
    expect(await funnel({ steps: [{ page: '/scarf' }, { page: '/scarf/checkout' }], unit: 'session' })).toEqual([1, 0]);
  });
});
