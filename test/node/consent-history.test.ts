import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { testClock } from '../support/clock.js';
import { agent, postJson } from '../support/chat-client.js';
import { ensureAgents } from '../../server/agents.js';

const decision = (id: string, anonymousId: string, timestamp: string, categories: Record<string, boolean>, method = 'banner', extra: Record<string, unknown> = {}) => ({
  id,
  anonymousId,
  userId: null,
  timestamp,
  policyVersion: '3',
  mode: 'opt-in',
  categories,
  method,
  locale: 'ro',
  url: 'https://shop.example/checkout',
  gpc: false,
  ...extra,
});

describe.each(STORES)('consent history in the console API on $name', ({ databaseUrl }) => {
  // The decisions below were made in the days before this instant, and sent now.
  const clock = testClock('2026-11-06T12:00:00.000Z');
  let s: TestServer;
  let cookie: string;
  const get = (path: string) => fetch(`${s.url}/v1/agent${path}`, { headers: { cookie } });

  beforeAll(async () => {
    s = await startServer({ databaseUrl: await databaseUrl(), now: clock });
    const creds = (await ensureAgents(s.store, ''))!;
    cookie = (await agent(s.url, creds.email, creds.password)).cookie;
    const all = { necessary: true, analytics: true, marketing: true };
    const none = { necessary: true, analytics: false, marketing: false };
    const res = await postJson(`${s.url}/v1/batch?site=demo`, {
      protocol: 1,
      sentAt: clock.iso(),
      consent: [
        decision('c1', 'anon-ana', '2026-11-01T10:00:00.000Z', all),
        decision('c2', 'anon-ana', '2026-11-05T10:00:00.000Z', none, 'api'),
        decision('c3', 'anon-bob', '2026-11-06T10:00:00.000Z', { ...none, analytics: true }, 'gpc', { gpc: true, textHash: 'a'.repeat(64) }),
      ],
    });
    expect(res.status).toBe(200);
  }, 60_000);
  afterAll(async () => s?.close());

  it("shows a visitor's decisions, oldest first, withdrawal included", async () => {
    const { records } = await (await get('/consent?visitor=anon-ana')).json();
    expect(records.map((r: { recordId: string; method: string; categories: Record<string, boolean> }) => [r.recordId, r.method, r.categories.analytics])).toEqual([
      ['c1', 'banner', true],
      ['c2', 'api', false],
    ]);
    expect(records[0]).toMatchObject({ policyVersion: '3', mode: 'opt-in', locale: 'ro', gpc: false, anonymousId: 'anon-ana' });
  });

  it('lists the latest decisions of everyone without a visitor', async () => {
    const { records } = await (await get('/consent')).json();
    expect(records.map((r: { recordId: string }) => r.recordId)).toEqual(['c3', 'c2', 'c1']);
    expect(records[0]).toMatchObject({ gpc: true, textHash: 'a'.repeat(64), method: 'gpc' });
  });

  it("exports one visitor's history as CSV, a column per category", async () => {
    const res = await get('/consent.csv?visitor=anon-ana');
    expect(res.headers.get('content-disposition')).toContain('consent-anon-ana.csv');
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('recordId,timestamp,receivedAt,siteKey,anonymousId,userId,policyVersion,mode,method,gpc,category:necessary,category:analytics,category:marketing,locale,url,textHash');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^c2,2026-11-05T10:00:00\.000Z,.*,demo,anon-ana,,3,opt-in,api,false,granted,denied,denied,ro,/); // sent at the clock's instant: no skew to correct
  });

  it('needs an agent session, and an export needs a visitor', async () => {
    expect((await fetch(`${s.url}/v1/agent/consent?visitor=anon-ana`)).status).toBe(401);
    expect((await fetch(`${s.url}/v1/agent/consent.csv?visitor=anon-ana`)).status).toBe(401);
    const bad = await get('/consent.csv');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: 'invalid_body', path: '?visitor' });
  });
});
