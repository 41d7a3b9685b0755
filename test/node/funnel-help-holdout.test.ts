import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { testClock } from '../support/clock.js';
import { agent, postJson } from '../support/chat-client.js';
import { ensureAgents } from '../../server/agents.js';
import type { FunnelReport } from '../../server/reports/funnel.js';

/**
 * The funnel's help breakdown with a holdout (docs/console.md#help-rules):
 * units a rule fired for (`help: r`), units it matched but held out
 * (`held out: r`) and the rest (`no help`), November 2026:
 * - v1, v2, v3: rule `r` fired at checkout; only v1 orders.
 * - v4, v5: `r` matched them at checkout and held them out; v5 orders.
 * - v6 leaves after the product page; v7 orders with no rule.
 * - v8: held out of `q`, then `r` fired: the first counts.
 * - v9 is held out of `r` on a cart page without ever entering the funnel.
 */
let n = 0;
const ev = (anon: string, ts: string, path: string, name?: string, properties: Record<string, unknown> = {}) => ({
  type: name ? 'track' : 'page',
  messageId: `hh-${++n}`,
  anonymousId: anon,
  timestamp: `2026-11-${ts}Z`,
  ...(name ? { event: name, properties } : { properties: {} }),
  context: { session: { id: `hs-${anon}` }, page: { url: `https://shop.example${path}`, path } },
});
const fired = (anon: string, ts: string, ruleId: string) => ev(anon, ts, '/checkout', 'Help Rule Fired', { ruleId, action: 'chat' });
const heldOut = (anon: string, ts: string, ruleId: string) => ev(anon, ts, '/checkout', 'Help Rule Held Out', { ruleId, action: 'chat' });
const visit = (anon: string, day: string, o: { help?: 'fired' | 'held'; order?: boolean; leave?: boolean } = {}) => [
  ev(anon, `${day}T10:00:00.000`, '/product/boots'),
  ...(o.leave ? [] : [ev(anon, `${day}T10:02:00.000`, '/checkout')]),
  ...(o.help === 'fired' ? [fired(anon, `${day}T10:03:00.000`, 'r')] : o.help === 'held' ? [heldOut(anon, `${day}T10:03:00.000`, 'r')] : []),
  ...(o.order ? [ev(anon, `${day}T10:05:00.000`, '/checkout', 'Order Completed')] : []),
];
const STEPS = [{ page: '/product/*' }, { page: '/checkout' }, { event: 'Order Completed' }];

describe.each(STORES)('the funnel’s help breakdown with a holdout on $name', ({ databaseUrl }) => {
  const clock = testClock('2026-11-30T12:00:00.000Z');
  let s: TestServer;
  let cookie: string;
  const breakdown = async (unit: 'customer' | 'session') => {
    const r = await fetch(`${s.url}/v1/agent/sites/demo/funnel?from=2026-11-01&to=2026-11-30`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ steps: STEPS, unit, breakdown: 'help' }) });
    expect(r.status, await r.clone().text()).toBe(200);
    return ((await r.json()) as FunnelReport).breakdown;
  };

  beforeAll(async () => {
    s = await startServer({ databaseUrl: await databaseUrl(), now: clock });
    cookie = (await agent(s.url, ...(Object.values((await ensureAgents(s.store, ''))!).slice(0, 2) as [string, string]))).cookie;
    const batch = [
      ...visit('v1', '10', { help: 'fired', order: true }),
      ...visit('v2', '10', { help: 'fired' }),
      ...visit('v3', '11', { help: 'fired' }),
      ...visit('v4', '11', { help: 'held' }),
      ...visit('v5', '12', { help: 'held', order: true }),
      ...visit('v6', '12', { leave: true }),
      ...visit('v7', '13', { order: true }),
      ...visit('v8', '13'),
      heldOut('v8', '13T10:02:30.000', 'q'),
      fired('v8', '13T10:04:00.000', 'r'),
      ev('v9', '14T10:00:00.000', '/cart'),
      heldOut('v9', '14T10:01:00.000', 'r'),
    ];
    const r = await postJson(`${s.url}/v1/batch?site=demo`, { protocol: 1, sentAt: clock.iso(), batch });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }, 60_000);
  afterAll(async () => s?.close());

  it('shows those a rule held out beside those it helped and those it never matched, per step, for sessions and customers', async () => {
    const expected = [
      { value: 'help: r', counts: [3, 3, 1] },
      { value: 'held out: r', counts: [2, 2, 1] },
      { value: 'no help', counts: [2, 1, 1] },
      // Held out of q before r fired: the first of them places the unit.
      { value: 'held out: q', counts: [1, 1, 0] },
    ];
    expect(await breakdown('session')).toEqual(expected);
    expect(await breakdown('customer')).toEqual(expected);
  });
});
