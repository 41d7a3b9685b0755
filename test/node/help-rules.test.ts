import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { testClock } from '../support/clock.js';
import { agent } from '../support/chat-client.js';
import { ensureAgents, upsertAgent } from '../../server/agents.js';
import type { HelpSettings } from '../../src/protocol/help-rule.js';

const RULES: HelpSettings = {
  cooldownSeconds: 120,
  rules: [
    { id: 'checkout-rage', when: { path: '/checkout*', friction: { rage: 2, error: 1 } }, action: { kind: 'chat', message: 'Stuck? We can help.' } },
    { id: 'big-cart', when: { cart: { property: 'cart_value', min: 200 }, secondsOnPage: 30, identified: false, channel: { touch: 'last', in: ['Email'] } }, action: { kind: 'link', text: 'Shipping costs', url: '/help/shipping' } },
    { id: 'ces', when: { event: 'Order Completed' }, action: { kind: 'survey', surveyId: 'checkout-ces' }, maxPerSession: 2 },
  ],
};

describe.each(STORES)('help rules on $name', ({ databaseUrl }) => {
  let s: TestServer;
  let owner: string;
  let helper: string;
  const call = (method: string, body?: unknown, site = 'demo', cookie = owner) =>
    fetch(`${s.url}/v1/agent/sites/${site}/help-rules`, { method, headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const config = async () => (await (await fetch(`${s.url}/v1/sites/demo/config`)).json()) as { help?: HelpSettings; surveys: unknown[] };

  beforeAll(async () => {
    s = await startServer({ databaseUrl: await databaseUrl(), now: testClock('2026-11-30T12:00:00.000Z') });
    await s.app.deps.sites.update('demo', { config: { surveys: [{ id: 'checkout-ces', version: 1, questions: [{ id: 'effort', type: 'ces' }] }] } });
    owner = (await agent(s.url, ...(Object.values((await ensureAgents(s.store, ''))!).slice(0, 2) as [string, string]))).cookie;
    await upsertAgent(s.store, 'helper@shop.example', 'helper-password-1', 'Helper', 'agent');
    helper = (await agent(s.url, 'helper@shop.example', 'helper-password-1')).cookie;
  }, 60_000);
  afterAll(async () => s?.close());

  it('has none until an owner saves some; the site config then delivers them to browsers, and none again after clearing', async () => {
    expect(await (await call('GET')).json()).toEqual({ rules: [] });
    expect((await config()).help).toBeUndefined();
    const r = await call('PUT', RULES);
    expect(r.status, await r.clone().text()).toBe(200);
    expect(await r.json()).toEqual(RULES);
    expect(await (await call('GET', undefined, 'demo', helper)).json()).toEqual(RULES);
    expect((await config()).help).toEqual(RULES);
    // The rest of the config is kept.
    expect((await config()).surveys).toHaveLength(1);
    expect((await call('PUT', { rules: [] })).status).toBe(200);
    expect((await config()).help).toBeUndefined();
    expect((await call('PUT', RULES)).status).toBe(200);
  });

  it('keeps a holdout share of the settings and of a rule, and delivers both to browsers', async () => {
    const held: HelpSettings = { ...RULES, holdout: 0.1, rules: [{ ...RULES.rules[0]!, holdout: 0.5 }, { ...RULES.rules[1]!, holdout: 0 }, RULES.rules[2]!] };
    const r = await call('PUT', held);
    expect(r.status, await r.clone().text()).toBe(200);
    expect(await r.json()).toEqual(held);
    expect((await config()).help).toEqual(held);
    expect((await call('PUT', RULES)).status).toBe(200);
  });

  it('lets agents read them and only owners and admins change them', async () => {
    expect((await call('PUT', { rules: [] }, 'demo', helper)).status).toBe(403);
    expect((await call('GET', undefined, 'demo', '')).status).toBe(401);
    expect((await call('PUT', RULES, 'demo', 'tp_agent=forged')).status).toBe(401);
    expect((await config()).help).toEqual(RULES);
  });

  it('refuses hostile or meaningless rules with the documented error and a path, and keeps the saved ones', async () => {
    const bad = async (body: unknown, site = 'demo') => {
      const r = await call('PUT', body, site);
      const j = (await r.json()) as { error?: { code: string; path?: string } };
      return [r.status, j.error?.code, j.error?.path];
    };
    const one = (rule: Record<string, unknown>) => ({ rules: [{ id: 'x', when: { path: '/a' }, action: { kind: 'link', text: 'Help', url: '/help' }, ...rule }] });
    expect(await bad({ rules: [RULES.rules[0], RULES.rules[0]] })).toEqual([400, 'invalid_body', '/rules/1/id']);
    expect(await bad(one({ when: {} }))).toEqual([400, 'invalid_body', '/rules/0/when']);
    expect(await bad(one({ when: { friction: {} } }))).toEqual([400, 'invalid_body', '/rules/0/when/friction']);
    expect(await bad(one({ when: { cart: { property: 'v', min: 10, max: 1 } } }))).toEqual([400, 'invalid_body', '/rules/0/when/cart']);
    expect(await bad(one({ action: { kind: 'survey', surveyId: 'nope' } }))).toEqual([400, 'invalid_body', '/rules/0/action/surveyId']);
    // A link that runs code, a path without its slash, an unknown field, an unknown channel, a zero count.
    for (const rule of [
      { action: { kind: 'link', text: 'Help', url: 'javascript:alert(1)' } },
      { when: { path: 'checkout' } },
      { when: { path: '/a' }, extra: 1 },
      { when: { channel: { touch: 'last', in: ['Carrier Pigeon'] } } },
      { when: { friction: { rage: 0 } } },
      { maxPerSession: 1.5 },
      { action: { kind: 'chat', message: 'a\u0000b' } },
      { action: { kind: 'chat', message: 'lone \ud800' } },
      { id: 'has space' },
    ]) expect((await bad(one(rule)))[0], JSON.stringify(rule)).toBe(400);
    // A holdout is a share from 0 to 0.5, of the rule or of the settings, refused at its field otherwise.
    for (const holdout of [-0.1, 0.51, 1, '0.1', true, null, [0.1]]) {
      expect(await bad(one({ holdout })), JSON.stringify(holdout)).toEqual([400, 'invalid_body', '/rules/0/holdout']);
      expect(await bad({ ...one({}), holdout }), JSON.stringify(holdout)).toEqual([400, 'invalid_body', '/holdout']);
    }
    // A number too big for a double parses as Infinity: still refused.
    expect((await bad('{"rules": [], "holdout": 1e999}'))[0]).toBe(400);
    expect((await bad({ rules: Array.from({ length: 51 }, (_, i) => ({ ...one({}).rules[0], id: `r${i}` })) }))[0]).toBe(400);
    expect((await bad('{"rules": ['))[0]).toBe(400);
    expect((await bad(RULES, 'nope'))[0]).toBe(404);
    for (const site of ['constructor', '__proto__']) expect((await bad(RULES, site))[0], site).toBe(404);
    // Nothing half-written: the saved rules are as they were.
    expect((await config()).help).toEqual(RULES);
  });
});
