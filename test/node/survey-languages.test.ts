import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { agent } from '../support/chat-client.js';
import { ensureAgents } from '../../server/agents.js';

const call = async (url: string, method: string, cookie: string, body?: unknown) => {
  const res = await fetch(url, { method, headers: { cookie, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

/** A two-question CES survey with a follow-up and a choice question: the texts a translation may name. */
const survey = (extra: Record<string, unknown> = {}) => ({
  id: 'ces',
  version: 1,
  brand: 'Acme',
  questions: [
    { id: 'ces', type: 'ces' },
    { id: 'why', type: 'text', prompt: 'What made it hard?', showIf: { question: 'ces', max: 3 } },
    { id: 'pick', type: 'single', options: [{ id: 'a', label: 'Price' }, { id: 'b', label: 'Speed' }] },
  ],
  thankYou: 'Thanks!',
  ...extra,
});

for (const store of STORES) {
  describe(`survey languages on ${store.name}`, () => {
    let s: TestServer;
    let owner: string;
    const put = (body: unknown) => call(`${s.url}/v1/agent/sites/langs/site-settings`, 'PUT', owner, body);
    beforeAll(async () => {
      s = await startServer({ databaseUrl: await store.databaseUrl() });
      const creds = (await ensureAgents(s.store, ''))!;
      owner = (await agent(s.url, creds.email, creds.password)).cookie;
      expect((await call(`${s.url}/v1/agent/sites`, 'POST', owner, { key: 'langs', name: 'Languages', allowedOrigins: ['*'] })).status).toBe(201);
    }, 90_000);
    afterAll(() => s?.close());

    it('stores translations keyed by language tag and serves them to browsers in the site config', async () => {
      const translations = {
        'zh-Hant': { brand: '愛客', questions: { why: { prompt: '哪裡不容易？' }, pick: { options: { a: '價格', b: '速度' } } }, thankYou: '謝謝！' },
        ar: { questions: { why: { prompt: 'ما الذي جعله صعبًا؟' } }, thankYou: 'شكرًا!' },
        ro: { task: 'plasez comanda' },
      };
      const r = await put({ surveys: [survey({ defaultLanguage: 'en', translations })] });
      expect(r.status).toBe(200);
      const cfg = await (await fetch(`${s.url}/v1/sites/langs/config`)).json();
      expect(cfg.surveys[0]).toMatchObject({ defaultLanguage: 'en', translations });
    });

    it('refuses hostile translations with a documented 400 at the path of the mistake, and keeps what was stored', async () => {
      const cases: [unknown, string][] = [
        // Not language tags, or not in the canonical form one survey must match by.
        [{ surveys: [survey({ translations: { english: {} } })] }, '/surveys/0/translations/english'],
        [{ surveys: [survey({ translations: { 'zh-hant': {} } })] }, '/surveys/0/translations/zh-hant'],
        [{ surveys: [survey({ translations: { iw: {} } })] }, '/surveys/0/translations/iw'],
        // A key JavaScript objects inherit, as raw JSON (a literal `__proto__` would set the prototype, not a key).
        [JSON.stringify({ surveys: [survey({ translations: { PROTO: {} } })] }).replace('PROTO', '__proto__'), '/surveys/0/translations/__proto__'],
        [{ surveys: [survey({ translations: { constructor: {} } })] }, '/surveys/0/translations/constructor'],
        [{ surveys: [survey({ translations: { '': {} } })] }, '/surveys/0/translations/'],
        [{ surveys: [survey({ defaultLanguage: 'EN' })] }, '/surveys/0/defaultLanguage'],
        // The default language translated, and ids the survey does not have.
        [{ surveys: [survey({ translations: { en: { thankYou: 'Ta' } } })] }, '/surveys/0/translations/en'],
        [{ surveys: [survey({ defaultLanguage: 'ro', translations: { ro: {} } })] }, '/surveys/0/translations/ro'],
        [{ surveys: [survey({ translations: { ar: { questions: { nope: { prompt: 'x' } } } } })] }, '/surveys/0/translations/ar/questions/nope'],
        [{ surveys: [survey({ translations: { ar: { questions: { pick: { options: { z: 'x' } } } } } })] }, '/surveys/0/translations/ar/questions/pick/options/z'],
        [{ pausedSurveys: [survey({ translations: { ar: { questions: { why: { options: { a: 'x' } } } } } })] }, '/pausedSurveys/0/translations/ar/questions/why/options/a'],
        // Overlong texts, unknown fields, too many languages.
        [{ surveys: [survey({ translations: { ar: { thankYou: 'x'.repeat(501) } } })] }, '/surveys/0/translations/ar/thankYou'],
        [{ surveys: [survey({ translations: { ar: { questions: { why: { prompt: 'x'.repeat(501) } } } } })] }, '/surveys/0/translations/ar/questions/why/prompt'],
        [{ surveys: [survey({ translations: { ar: { questions: { pick: { options: { a: 'x'.repeat(201) } } } } } })] }, '/surveys/0/translations/ar/questions/pick/options/a'],
        [{ surveys: [survey({ translations: { ar: { title: 'x' } } })] }, '/surveys/0/translations/ar/title'],
        [{ surveys: [survey({ translations: { ar: { questions: { why: 'x' } } } })] }, '/surveys/0/translations/ar/questions/why'],
        [{ surveys: [survey({ translations: Object.fromEntries(['af', 'am', 'ar', 'az', 'be', 'bg', 'bn', 'bs', 'ca', 'cs', 'cy', 'da', 'de', 'el', 'es', 'et', 'eu', 'fa', 'fi', 'fr', 'ga'].map((t) => [t, {}])) })] }, '/surveys/0/translations'],
        [{ surveys: [survey({ translations: [] })] }, '/surveys/0/translations'],
        // NUL and unpaired surrogates, in a text and in a key.
        [{ surveys: [survey({ translations: { ar: { thankYou: 'شكرًا\u0000' } } })] }, '/surveys/0/translations/ar/thankYou'],
        [{ surveys: [survey({ translations: { ar: { questions: { why: { prompt: 'bad \ud800 half' } } } } })] }, '/surveys/0/translations/ar/questions/why/prompt'],
        [{ surveys: [survey({ translations: { 'ar\ud800': {} } })] }, '/surveys/0/translations/ar\ud800'],
      ];
      for (const [body, path] of cases) {
        const r = await put(body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.error, JSON.stringify(body)).toMatchObject({ code: 'invalid_body', path });
      }
      // The raw form of what JSON.stringify cannot write: a lone surrogate escaped in the body.
      const raw = await put(JSON.stringify({ surveys: [survey({ translations: { ar: { thankYou: '§' } } })] }).replace('§', '\\udc00'));
      expect(raw.status).toBe(400);
      expect(raw.body.error).toMatchObject({ code: 'invalid_body', path: '/surveys/0/translations/ar/thankYou' });
      const cfg = await (await fetch(`${s.url}/v1/sites/langs/config`)).json();
      expect(Object.keys(cfg.surveys[0].translations).sort()).toEqual(['ar', 'ro', 'zh-Hant']);
    });

    it('stores the language each answer was shown in', async () => {
      const base = { responseId: 'r-lang-1', surveyId: 'ces', surveyVersion: 1, anonymousId: 'a-lang', timestamp: new Date().toISOString() };
      const res = await fetch(`${s.url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ protocol: 1, siteKey: 'langs', sentAt: new Date().toISOString(), batch: [], responses: [{ ...base, questionId: 'ces', value: 2, locale: 'zh-Hant' }] }),
      });
      expect(res.status).toBe(200);
      expect((await res.json()).accepted).toBe(1);
      const { rows } = await s.store.query<{ locale: string | null }>(`SELECT payload->>'locale' AS locale FROM survey_answers WHERE response_id = 'r-lang-1'`);
      expect(rows.map((r) => r.locale)).toEqual(['zh-Hant']);
    });
  });
}
