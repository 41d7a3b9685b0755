import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { testClock } from '../support/clock.js';
import { agent, postJson } from '../support/chat-client.js';
import { ensureAgents } from '../../server/agents.js';
import { hmacHex } from '../../server/lib/hmac.js';
import { rebuildSessionSteps } from '../../server/reports/session-steps.js';
import type { FunnelReport } from '../../server/reports/funnel.js';

// A customer funnel reads only the sessions that can hold a step of an attempt (server/reports/funnel-journeys.ts): by each
// session's span and guests flag in session_steps (migration 17). These are kept by ingest batch by batch, stitched by the
// identities read at query time and rebuilt on erasure; if any of them goes stale, a step is left unread and a count drops.
let n = 0;
const ev = (anon: string, session: string, ts: string, path: string, name?: string) => ({
  type: name ? 'track' : 'page',
  messageId: `fs-${++n}`,
  anonymousId: anon,
  timestamp: `2026-11-${ts}Z`,
  ...(name ? { event: name, properties: {} } : { properties: {} }),
  context: { session: { id: session }, page: { url: `https://shop.example${path}`, path } },
});

describe.each(STORES)('customer funnel spans on $name', ({ databaseUrl }) => {
  const clock = testClock('2026-11-30T12:00:00.000Z');
  let s: TestServer;
  let cookie: string;
  const api = (path: string, init: RequestInit = {}) => fetch(`${s.url}/v1/agent/sites/demo${path}`, { ...init, headers: { cookie, 'content-type': 'application/json', ...init.headers } });
  const funnel = async (steps: unknown[], unit = 'customer') => {
    const r = await api('/funnel?from=2026-11-01&to=2026-11-30', { method: 'POST', body: JSON.stringify({ steps, unit }) });
    expect(r.status).toBe(200);
    return ((await r.json()) as FunnelReport).steps.map((x) => x.count);
  };
  const send = async (batch: unknown[]) => {
    const r = await postJson(`${s.url}/v1/batch?site=demo`, { protocol: 1, sentAt: clock.iso(), batch });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  /** session_steps as stored, and as a rebuild from the events makes it: they must not differ. */
  const steps = async () => (await s.store.query(`SELECT * FROM session_steps WHERE site_key = 'demo' AND session_id LIKE 'fs-%' ORDER BY session_id`)).rows;
  const rebuilt = async () => {
    await rebuildSessionSteps(s.store, 'demo');
    return steps();
  };

  beforeAll(async () => {
    s = await startServer({ databaseUrl: await databaseUrl(), now: clock });
    cookie = (await agent(s.url, ...(Object.values((await ensureAgents(s.store, ''))!).slice(0, 2) as [string, string]))).cookie;
    const hash = hmacHex((await s.app.deps.sites.get('demo'))!.secret, 'fs-vic');
    // Three batches, as the SDK sends them over a visit.
    await send([
      // c1 browses on the 2nd (a session that goes on two days later) and views the coat on the 3rd in another session.
      ev('fs-c1', 'fs-c-s2', '02T10:00:00.000', '/'),
      ev('fs-c1', 'fs-c-s1', '03T10:00:00.000', '/coat'),
      // h1 views the lamp on the 20th; on the 10th h1 had a session where h2 later bought one (a shared tab).
      ev('fs-h1', 'fs-h-s1', '20T10:00:00.000', '/lamp'),
      ev('fs-h1', 'fs-h-s0', '10T09:00:00.000', '/'),
      ev('fs-h2', 'fs-h2-s1', '10T10:00:00.000', '/lamp'),
      // Vic views the vase on his laptop, and buys it on his phone, both anonymous for now.
      ev('fs-v1', 'fs-v-s1', '05T10:00:00.000', '/vase'),
      ev('fs-v2', 'fs-v-s2', '06T10:00:00.000', '/vase', 'Vase Bought'),
    ]);
    await send([ev('fs-c1', 'fs-c-s2', '04T10:00:00.000', '/', 'Coat Bought'), ev('fs-h2', 'fs-h-s0', '10T10:05:00.000', '/', 'Lamp Bought')]);
    // Then Vic signs in on both devices (verified): his anonymous sessions before that are his.
    const identify = (anon: string) => ({ type: 'identify', messageId: `fs-${++n}`, anonymousId: anon, userId: 'fs-vic', userHash: hash, timestamp: clock.iso(-60_000), context: {} });
    await send([identify('fs-v1'), identify('fs-v2')]);
  }, 60_000);
  afterAll(async () => s?.close());

  it('keeps each session’s span and guests as ingest appends batch by batch, the same as a rebuild from the events', async () => {
    const stored = await steps();
    expect(stored.find((r) => r.session_id === 'fs-c-s2')).toMatchObject({ first_at: Date.parse('2026-11-02T10:00:00Z'), last_at: Date.parse('2026-11-04T10:00:00Z'), guests: false });
    expect(stored.find((r) => r.session_id === 'fs-h-s0')).toMatchObject({ anonymous_id: 'fs-h1', guests: true });
    expect(await rebuilt()).toEqual(stored);
  });

  it('reads a session that began before step 1 and went on after it, and a session before step 1 with a guest’s step in it', async () => {
    expect(await funnel([{ page: '/coat' }, { event: 'Coat Bought' }])).toEqual([1, 1]);
    expect(await funnel([{ page: '/lamp' }, { event: 'Lamp Bought' }])).toEqual([2, 1]);
  });

  it('stitches anonymous sessions from before the sign-in to the customer', async () => {
    expect(await funnel([{ page: '/vase' }, { event: 'Vase Bought' }])).toEqual([1, 1]);
    expect(await funnel([{ page: '/vase' }, { event: 'Vase Bought' }], 'session')).toEqual([1, 0]);
  });

  it('rebuilds the span and guests of a session whose guest is erased', async () => {
    expect((await api('/customers/fs-h2', { method: 'DELETE', headers: {} })).status).toBe(200);
    const stored = await steps();
    expect(stored.find((r) => r.session_id === 'fs-h-s0')).toMatchObject({ first_at: Date.parse('2026-11-10T09:00:00Z'), last_at: Date.parse('2026-11-10T09:00:00Z'), guests: false });
    expect(await rebuilt()).toEqual(stored);
    expect(await funnel([{ page: '/lamp' }, { event: 'Lamp Bought' }])).toEqual([1, 0]);
  });

  it('answers hostile step patterns and ranges with 4xx, never a 500', async () => {
    for (const body of [{ steps: [{ page: '/%' }, { page: "/'; DROP TABLE session_steps; --" }] }, { steps: [{ page: '/*' }, { event: '\u0000' }] }]) {
      const r = await api('/funnel?from=2026-11-01&to=2026-11-30', { method: 'POST', body: JSON.stringify(body) });
      expect(r.status, JSON.stringify(body)).toBeLessThan(500);
    }
    expect((await api('/funnel?from=2026-11-30&to=2026-11-01', { method: 'POST', body: JSON.stringify({ steps: [{ page: '/a' }, { page: '/b' }] }) })).status).toBe(400);
    expect((await steps()).length).toBeGreaterThan(0);
  });
});
