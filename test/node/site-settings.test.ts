import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { agent, postJson, visitor } from '../support/chat-client.js';
import { until } from '../support/until.js';
import { testClock } from '../support/clock.js';
import { buildApp } from '../../server/app.js';
import { ensureAgents } from '../../server/agents.js';
import { parseSiteFile } from '../../server/site-file.js';
import { describeHours, isOpen } from '../../server/business-hours.js';

const json = (cookie: string) => ({ cookie, 'content-type': 'application/json' });
const call = async (url: string, method: string, cookie: string, body?: unknown) => {
  const res = await fetch(url, { method, headers: json(cookie), ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
};
/** What the bot answers a new visitor's first message on `base`. */
const botSays = async (base: string, site: string, anon: string, question: string) => {
  const v = await visitor(base, anon, site);
  const r = await v.start(`${anon}-c`, question);
  return (r.body.events as { author: { kind: string }; body?: string }[]).filter((e) => e.author.kind === 'bot').at(-1)?.body;
};

describe('business hours', () => {
  const hours = { days: { mon: [{ from: '09:00', to: '17:00' }], tue: [{ from: '09:00', to: '17:00' }], wed: [{ from: '09:00', to: '17:00' }], sat: [{ from: '10:00', to: '14:00' }] }, holidays: ['2026-12-25'] };
  it('are open by the wall clock of the site\'s zone, closed on holidays', () => {
    // Monday 2026-03-02 01:30 UTC is 09:30 in Shanghai, 01:30 in London.
    expect(isOpen(hours, 'Asia/Shanghai', Date.parse('2026-03-02T01:30:00Z'))).toBe(true);
    expect(isOpen(hours, 'Europe/London', Date.parse('2026-03-02T01:30:00Z'))).toBe(false);
    expect(isOpen(hours, 'Asia/Shanghai', Date.parse('2026-03-02T09:00:00Z'))).toBe(false);
    expect(isOpen(hours, 'UTC', Date.parse('2026-12-25T10:00:00Z'))).toBe(false);
  });
  it('read as one line, consecutive days with the same ranges grouped', () => {
    expect(describeHours(hours, 'Asia/Shanghai')).toBe('Mon–Wed 09:00–17:00, Sat 10:00–14:00 (Asia/Shanghai)');
  });
});

for (const store of STORES) {
  describe(`console settings on ${store.name}`, () => {
    let s: TestServer;
    let b: FastifyInstance | undefined;
    let bUrl: string;
    let owner: string;
    let plain: string;
    const clock = testClock('2026-03-02T01:30:00Z');
    beforeAll(async () => {
      const url = await store.databaseUrl();
      s = await startServer({ databaseUrl: url, now: clock });
      // A second instance: on PostgreSQL its own connections to the same database; on PGlite the same in-process store.
      if (url) {
        const other = await startServer({ databaseUrl: url, now: clock });
        b = other.app;
        bUrl = other.url;
        afterAll(() => other.close());
      } else {
        b = await buildApp({ store: s.store, rateLimit: { perSecond: 0, burst: 0 }, deliveries: false, retention: false, now: clock });
        await b.listen({ port: 0, host: '127.0.0.1' });
        const addr = b.server.address();
        bUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
        afterAll(() => b!.close());
      }
      const creds = (await ensureAgents(s.store, ''))!;
      owner = (await agent(s.url, creds.email, creds.password)).cookie;
      const invited = await call(`${s.url}/v1/agent/agents`, 'POST', owner, { email: 'plain@example.com', name: 'Plain Agent', role: 'agent' });
      expect(invited.status).toBe(201);
      plain = (await agent(s.url, 'plain@example.com', invited.body.password)).cookie;
    }, 90_000);
    afterAll(() => s?.close());

    it('an owner creates a site; its zone, currency and origins are served by the other instance at once', async () => {
      const created = await call(`${s.url}/v1/agent/sites`, 'POST', owner, { key: 'shanghai', name: 'Shanghai Shop', allowedOrigins: ['http://127.0.0.2:9999'] });
      expect(created.status).toBe(201);
      // Instance B reads (and caches) the site before the change.
      const before = await call(`${bUrl}/v1/agent/sites/shanghai/site-settings`, 'GET', owner);
      expect(before.body.settings).toMatchObject({ name: 'Shanghai Shop' });
      expect(before.body.settings.timeZone).toBeUndefined();
      const put = await call(`${s.url}/v1/agent/sites/shanghai/site-settings`, 'PUT', owner, { timeZone: 'Asia/Shanghai', currency: 'CNY', chat: { greeting: 'Ni hao!', hours: { days: { mon: [{ from: '09:00', to: '17:00' }] } } } });
      expect(put.status).toBe(200);
      expect(put.body.settings).toMatchObject({ timeZone: 'Asia/Shanghai', currency: 'CNY' });
      // No restart, well within the 60 s cache backstop: the NOTIFY made B forget its copy.
      await until(async () => (await call(`${bUrl}/v1/agent/sites/shanghai/site-settings`, 'GET', owner)).body.settings.timeZone === 'Asia/Shanghai', 3_000);
      const cfg = await fetch(`${bUrl}/v1/sites/shanghai/config`, { headers: { origin: 'http://127.0.0.2:9999' } });
      const body = await cfg.json();
      expect(body.chat).toMatchObject({ greeting: 'Ni hao!', businessHours: 'Mon 09:00–17:00 (Asia/Shanghai)' });
      expect(cfg.headers.get('cache-control')).toBe('no-cache');
      // Revalidation: unchanged config is a 304.
      const again = await fetch(`${bUrl}/v1/sites/shanghai/config`, { headers: { origin: 'http://127.0.0.2:9999', 'if-none-match': cfg.headers.get('etag')! } });
      expect(again.status).toBe(304);
      // Readers of the older free-text shape (the hand-off message) get the same line, re-made when the zone changes.
      expect((await s.app.deps.sites.get('shanghai'))!.config.chat).toMatchObject({ businessHours: 'Mon 09:00–17:00 (Asia/Shanghai)' });
      await call(`${s.url}/v1/agent/sites/shanghai/site-settings`, 'PUT', owner, { timeZone: 'Europe/Berlin' });
      expect((await s.app.deps.sites.get('shanghai'))!.config.chat).toMatchObject({ businessHours: 'Mon 09:00–17:00 (Europe/Berlin)' });
      await call(`${s.url}/v1/agent/sites/shanghai/site-settings`, 'PUT', owner, { timeZone: 'Asia/Shanghai' });
      // The console's pages start their date inputs from the site's today: the list says each site's zone.
      await until(async () => (await call(`${s.url}/v1/agent/sites`, 'GET', plain)).body.sites.some((x: { key: string; timeZone: string }) => x.key === 'shanghai' && x.timeZone === 'Asia/Shanghai'), 3_000);
    });

    it("the bot's answer edited through one instance is what the next visitor on the other gets, and the test box says which", async () => {
      await call(`${s.url}/v1/agent/sites`, 'POST', owner, { key: 'faq-site', name: 'FAQ site', allowedOrigins: ['*'] });
      expect(await botSays(bUrl, 'faq-site', 'faq-1', 'How long does shipping take?')).toMatch(/ship within/);
      const answers = [{ keywords: ['shipping'], answer: 'Shipping takes 3 days from Shanghai.' }];
      const tried = await call(`${s.url}/v1/agent/sites/faq-site/bot/test`, 'POST', plain, { question: 'shipping to Berlin?', answers });
      expect(tried.body).toEqual({ kind: 'answer', text: 'Shipping takes 3 days from Shanghai.', entry: 0 });
      expect((await call(`${s.url}/v1/agent/sites/faq-site/site-settings`, 'PUT', owner, { chat: { answers } })).status).toBe(200);
      await until(async () => (await botSays(bUrl, 'faq-site', `faq-${Math.random()}`, 'How long does shipping take?')) === 'Shipping takes 3 days from Shanghai.', 3_000);
      expect((await call(`${s.url}/v1/agent/sites/faq-site/bot/test`, 'POST', plain, { question: 'a joke please' })).body.kind).toBe('fallback');
      // The offline form turned off: a hand-off with no one online asks for no e-mail.
      const asked = async () => {
        const id = `offline-${Math.random().toString(36).slice(2)}`;
        const v = await visitor(bUrl, id, 'faq-site');
        const events = (await v.start(`${id}-c`, 'talk to a person')).body.events as { kind: string; author: { kind: string }; data?: { askEmail?: boolean } }[];
        const notice = events.at(-1)!;
        expect(notice.author.kind).toBe('system');
        return notice.data?.askEmail;
      };
      expect(await asked()).toBe(true);
      await call(`${s.url}/v1/agent/sites/faq-site/site-settings`, 'PUT', owner, { chat: { answers, offlineForm: false } });
      await until(async () => (await asked()) === undefined, 3_000);
      // The answers never reach browsers.
      expect(JSON.stringify(await (await fetch(`${bUrl}/v1/sites/faq-site/config`)).json())).not.toContain('3 days');
    });

    it('agents read the settings but may not change them; nobody signed in reads nothing', async () => {
      const r = await call(`${s.url}/v1/agent/sites/shanghai/site-settings`, 'GET', plain);
      expect(r.body.canManage).toBe(false);
      expect((await call(`${s.url}/v1/agent/sites/shanghai/site-settings`, 'PUT', plain, { name: 'Mine' })).status).toBe(403);
      expect((await call(`${s.url}/v1/agent/sites/shanghai/site-settings`, 'GET', '')).status).toBe(401);
      expect((await call(`${s.url}/v1/agent/agents`, 'GET', plain)).status).toBe(403);
      expect((await call(`${s.url}/v1/agent/sites/shanghai/export`, 'GET', plain)).status).toBe(403);
    });

    it('refuses hostile settings with the path of the mistake, and writes nothing', async () => {
      const put = (body: unknown) => call(`${s.url}/v1/agent/sites/shanghai/site-settings`, 'PUT', owner, body);
      const cases: [unknown, string][] = [
        [{ timeZone: 'Mars/Olympus' }, '/timeZone'],
        [{ timeZone: "Asia/Shanghai'; DROP TABLE sites; --" }, '/timeZone'],
        [{ chat: { answers: [{ keywords: ['?!'], answer: 'Catch-all' }] } }, '/chat/answers/0/keywords/0'],
        [{ currency: 'XYZ' }, '/currency'],
        [{ currency: 'cny' }, '/currency'],
        [{ allowedOrigins: ['https://shop.example/path'] }, '/allowedOrigins/0'],
        [{ chat: { hours: { days: { mon: [{ from: '17:00', to: '09:00' }] } } } }, '/chat/hours/days/mon/0/to'],
        [{ chat: { hours: { days: { mon: [{ from: '25:00', to: '26:00' }] } } } }, '/chat/hours/days/mon/0/from'],
        [{ chat: { hours: { days: { funday: [] } } } }, '/chat/hours/days/funday'],
        [{ chat: { hours: { days: {}, holidays: ['2026-02-30'] } } }, '/chat/hours/holidays/0'],
        [{ consent: { mode: 'opt-in', policyVersion: '2', categories: ['analytics'] } }, '/consent/categories'],
        [{ consent: { mode: 'maybe', policyVersion: '2', categories: ['necessary'] } }, '/consent/mode'],
        [{ name: 'x\u0000y' }, '/name'],
        [{ name: '' }, '/name'],
        [{ secret: 'mine' }, '/secret'],
        [{ surveys: [{ id: 'a', version: 1, questions: [{ id: 'q', type: 'ces' }] }, { id: 'a', version: 1, questions: [{ id: 'q', type: 'ces' }] }] }, '/surveys/1/id'],
        [{ integrations: { webhooks: [{ url: 'javascript:alert(1)', events: ['*'] }] } }, '/integrations/webhooks/0/url'],
        [{ surveys: [{ id: 's', version: 1, questions: [{ id: 'q', type: 'ces' }, { id: 'q', type: 'text' }] }] }, '/surveys/0/questions/1/id'],
        [{ surveys: [{ id: 's', version: 1, questions: [{ id: 'why', type: 'text', showIf: { question: 'later', max: 3 } }, { id: 'later', type: 'ces' }] }] }, '/surveys/0/questions/0/showIf/question'],
        [{ surveys: [{ id: 's', version: 1, questions: [{ id: 'pick', type: 'single' }] }] }, '/surveys/0/questions/0/options'],
        [{ surveys: [{ id: 's', version: 0, questions: [{ id: 'q', type: 'ces' }] }] }, '/surveys/0/version'],
        [{ surveys: [{ id: 's', version: 1, questions: [{ id: 'q', type: 'stars' }] }] }, '/surveys/0/questions/0/type'],
        [{ surveys: [{ id: 's', version: 1, questions: [{ id: 'q', type: 'ces' }] }], pausedSurveys: [{ id: 's', version: 1, questions: [{ id: 'q', type: 'ces' }] }] }, '/pausedSurveys/0/id'],
        ['{"__proto__":{"polluted":true},"name":"ok"}', '/__proto__'],
      ];
      for (const [body, path] of cases) {
        const r = await put(body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.error, JSON.stringify(body)).toMatchObject({ code: 'invalid_body', path });
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((await put('{"name":')).body.error.code).toBe('invalid_json');
      expect((await call(`${s.url}/v1/agent/sites/shanghai/site-settings`, 'PUT', owner, JSON.stringify({ name: 'x'.repeat(600_000) }))).status).toBe(413);
      expect((await call(`${s.url}/v1/agent/sites/__proto__/site-settings`, 'GET', owner)).status).toBe(404);
      expect((await call(`${s.url}/v1/agent/sites/a%20b/site-settings`, 'GET', owner)).status).toBe(400);
      const after = (await call(`${s.url}/v1/agent/sites/shanghai/site-settings`, 'GET', owner)).body.settings;
      expect(after).toMatchObject({ timeZone: 'Asia/Shanghai', currency: 'CNY', allowedOrigins: ['http://127.0.0.2:9999'] });
    });

    it('stores a zone by the canonical name PostgreSQL knows: an alias Intl accepts never makes a report fail', async () => {
      const put = (timeZone: string) => call(`${s.url}/v1/agent/sites/shanghai/site-settings`, 'PUT', owner, { timeZone });
      // Intl takes a retired name; PostgreSQL answers 'time zone "US/Pacific-New" not recognized' (was a 500 on every report).
      expect((await put('US/Pacific-New')).body.settings.timeZone).toBe('America/Los_Angeles');
      expect((await put('asia/shanghai')).body.settings.timeZone).toBe('Asia/Shanghai');
      const report = await call(`${s.url}/v1/agent/sites/shanghai/attribution`, 'GET', owner);
      expect(report.status).toBe(200);
      // The bot's test box refuses a keyword that would match every message.
      const t = await call(`${s.url}/v1/agent/sites/shanghai/bot/test`, 'POST', owner, { question: 'Where is my parcel?', answers: [{ keywords: ['?!'], answer: 'Catch-all' }] });
      expect(t.body.error).toMatchObject({ code: 'invalid_body', path: '/answers/0/keywords/0' });
    });

    it('refuses an import whose older config sections would break the site config or the bot, and writes none of it', async () => {
      const imp = (config: unknown) => call(`${s.url}/v1/agent/sites/import`, 'POST', owner, { sites: [{ key: 'imp1', name: 'I', config }] });
      const cases: [unknown, string][] = [
        [{ help: {} }, '/sites/0/config/help/rules'],
        [{ chat: { hours: 'nine to five' } }, '/sites/0/chat/hours'],
        [{ chat: { answers: 'x' } }, '/sites/0/chat/answers'],
        [{ consent: { mode: 'sometimes' } }, '/sites/0/consent/mode'],
      ];
      for (const [config, path] of cases) {
        const r = await imp(config);
        expect(r.status, JSON.stringify(config)).toBe(400);
        expect(r.body.error, JSON.stringify(config)).toMatchObject({ code: 'invalid_body', path });
      }
      expect(await s.app.deps.sites.get('imp1')).toBeUndefined();
      expect((await fetch(`${s.url}/v1/sites/imp1/config`)).status).toBe(404);
    });

    it('exports a site as a site file that imports back unchanged; a bad file names its mistake and changes nothing', async () => {
      const exported = await call(`${s.url}/v1/agent/sites/shanghai/export`, 'GET', owner);
      expect(exported.status).toBe(200);
      expect(exported.headers.get('content-disposition')).toMatch(/touchpoint-shanghai\.json/);
      const file = exported.body;
      expect(file.sites[0]).toMatchObject({ key: 'shanghai', timeZone: 'Asia/Shanghai', currency: 'CNY' });
      expect(JSON.stringify(file)).not.toContain((await s.app.deps.sites.get('shanghai'))!.secret);
      const bad = structuredClone(file);
      bad.sites[0].timeZone = 'Nowhere';
      bad.sites[0].name = 'Changed';
      const refused = await call(`${s.url}/v1/agent/sites/import`, 'POST', owner, bad);
      expect(refused.body.error).toMatchObject({ code: 'invalid_body', path: '/sites/0/timeZone' });
      expect((await s.app.deps.sites.get('shanghai'))!.name).not.toBe('Changed');
      file.sites[0].name = 'Shanghai Shop (imported)';
      expect((await call(`${s.url}/v1/agent/sites/import`, 'POST', owner, file)).body).toEqual({ imported: ['shanghai'] });
      await until(async () => (await call(`${bUrl}/v1/agent/sites/shanghai/site-settings`, 'GET', owner)).body.settings.name === 'Shanghai Shop (imported)', 3_000);
      const again = (await call(`${s.url}/v1/agent/sites/shanghai/export`, 'GET', owner)).body;
      expect(again).toEqual(file);
    });

    it('applies an unchanged site file entry once, so console edits survive a restart', async () => {
      const [entry] = parseSiteFile({ sites: [{ key: 'from-file', name: 'From file', allowedOrigins: ['*'], config: { chat: { greeting: 'file' } } }] });
      await s.app.deps.sites.applyFileEntry(entry!);
      await call(`${s.url}/v1/agent/sites/from-file/site-settings`, 'PUT', owner, { chat: { greeting: 'console' } });
      await s.app.deps.sites.applyFileEntry(entry!);
      expect((await s.app.deps.sites.get('from-file'))!.config.chat).toEqual({ greeting: 'console' });
      const [changed] = parseSiteFile({ sites: [{ key: 'from-file', name: 'From file', allowedOrigins: ['*'], config: { chat: { greeting: 'file v2' } } }] });
      await s.app.deps.sites.applyFileEntry(changed!);
      expect((await s.app.deps.sites.get('from-file'))!.config.chat).toEqual({ greeting: 'file v2' });
    });

    it('invites, re-roles and removes agents; the last owner stays', async () => {
      const list = (await call(`${s.url}/v1/agent/agents`, 'GET', owner)).body.agents as { id: string; email: string; role: string }[];
      const me = list.find((a) => a.role === 'owner')!;
      const p = list.find((a) => a.email === 'plain@example.com')!;
      expect((await call(`${s.url}/v1/agent/agents/${me.id}/role`, 'PUT', owner, { role: 'agent' })).body.error.code).toBe('invalid_body');
      expect((await call(`${s.url}/v1/agent/agents/${p.id}/role`, 'PUT', owner, { role: 'admin' })).body.agent.role).toBe('admin');
      expect((await call(`${s.url}/v1/agent/agents/${p.id}/role`, 'PUT', owner, { role: 'root' })).body.error.path).toBe('/role');
      expect((await call(`${s.url}/v1/agent/agents`, 'POST', owner, { email: 'plain@example.com', name: 'Again', role: 'agent' })).body.error.path).toBe('/email');
      expect((await call(`${s.url}/v1/agent/agents/not-an-id`, 'DELETE', owner)).status).toBe(400);
      const extra = await call(`${s.url}/v1/agent/agents`, 'POST', owner, { email: 'temp@example.com', name: 'Temp', role: 'agent' });
      expect((await call(`${s.url}/v1/agent/agents/${extra.body.agent.id}`, 'DELETE', owner)).status).toBe(204);
      expect((await postJson(`${s.url}/v1/agent/login`, { email: 'temp@example.com', password: extra.body.password }, { 'content-type': 'application/json' })).status).toBe(401);
    });
  });
}
