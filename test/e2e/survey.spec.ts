import type { Browser, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureAgents } from '../../server/agents.js';
import { sampleSlot } from '../../src/survey/eligibility.js';
import type { SurveyDefinition } from '../../src/protocol/survey.js';
import type { TestServer } from '../support/start-server.js';
import { test, expect, sdkSettled } from './fixtures.js';

const answersOf = async (server: { store: { query: <T>(sql: string, p?: unknown[]) => Promise<{ rows: T[] }> } }, anonymousId: string) =>
  (
    await server.store.query<{ survey_id: string; question_id: string; value: unknown; session_id: string; replay_ts: string; payload: Record<string, unknown> }>(
      'SELECT survey_id, question_id, value, session_id, replay_ts, payload FROM survey_answers WHERE anonymous_id = $1 ORDER BY id',
      [anonymousId],
    )
  ).rows;

const order = async (page: Page, url: string) => {
  await page.goto(`${url}/shop`);
  await page.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' }).click();
  await page.getByRole('button', { name: 'Add to cart' }).first().click();
  await page.getByRole('link', { name: 'Checkout' }).click();
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByRole('button', { name: 'Place order' }).click();
};
const survey = (page: Page) => page.locator('tp-survey');

/** The console's report of one survey, by its deep link: other journeys on this worker's server add sites (and surveys) of their own. */
const signIn = async (browser: Browser, server: TestServer, survey = 'demo/checkout-ces') => {
  const url = server.url;
  const creds = (await ensureAgents(server.store, ''))!;
  const agent = await (await browser.newContext()).newPage();
  await agent.goto(`${url}/console/surveys/${survey}`);
  await agent.getByLabel('Email').fill(creds.email);
  await agent.getByLabel('Password').fill(creds.password);
  await agent.getByRole('button', { name: 'Sign in' }).click();
  return agent;
};

test('an order asks for the effort score; a hard checkout with a comment reaches the console, linked to the replay moment', async ({ browser, page, server, shop }) => {
  test.setTimeout(60_000);
  await order(page, shop.url);
  const card = survey(page).getByRole('dialog', { name: 'Feedback' });
  await expect(card).toBeVisible();
  await expect(card.getByRole('radiogroup')).toContainText('Acme Outfitters made it easy for me to place my order.');
  await card.getByRole('radio', { name: '2 – Disagree', exact: true }).click();
  await card.getByRole('textbox').fill('The coupon field kept resetting');
  await card.getByRole('button', { name: 'Submit' }).click();
  await expect(card.getByText('Thank you for your feedback!')).toBeVisible();

  const { anonymousId, sessionId } = await page.evaluate(() => ({ anonymousId: (window as any).touchpoint.anonymousId, sessionId: (window as any).touchpoint.sessionId }));
  await expect.poll(async () => (await answersOf(server, anonymousId)).map((a) => [a.question_id, a.value])).toEqual([
    ['effort', 2],
    ['why', 'The coupon field kept resetting'],
  ]);
  const [effort] = await answersOf(server, anonymousId);
  expect(effort!.session_id).toBe(sessionId);
  expect(effort!.payload).toMatchObject({ url: `${shop.url}/checkout`, locale: 'en' });

  const agent = await signIn(browser, server);
  const low = agent.locator('tp-console-surveys tr.low').filter({ hasText: 'The coupon field kept resetting' });
  await expect(low).toBeVisible();
  await expect(agent.locator('tp-console-surveys [data-question=effort]')).toHaveText('0%');
  const href = await low.getByRole('link', { name: 'Watch the moment' }).getAttribute('href');
  expect(href).toBe(`/console/replays/${sessionId}?t=${effort!.replay_ts}`);
  await agent.context().close();
});

test('a tab closed in the middle of a survey keeps the answered step', async ({ context, server, shop }) => {
  const page = await context.newPage();
  await order(page, shop.url);
  const card = survey(page).getByRole('dialog', { name: 'Feedback' });
  await card.getByRole('radio', { name: '1 – Strongly disagree' }).click();
  await expect(card.getByRole('textbox')).toBeVisible();
  const anonymousId = await page.evaluate(() => (window as any).touchpoint.anonymousId);
  await page.close({ runBeforeUnload: true });
  // Sent on the way out (keepalive), or from the outbox by the next page of the site.
  const next = await context.newPage();
  await next.goto(`${shop.url}/`);
  await expect.poll(async () => (await answersOf(server, anonymousId)).map((a) => [a.question_id, a.value])).toEqual([['effort', 1]]);
});

test('sampling is decided by visitor and survey, never re-rolled; once shown, a survey is not asked again, and the cooldown outlives the session', async ({ context, server, shop }) => {
  const anonymousId = 'e2e-sampling-visitor';
  const demo = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../server/demo-sites.json'), 'utf8')).sites[0];
  const base = { version: 1, trigger: { event: 'Sample Me' }, questions: [{ id: 'q', type: 'csat' }] } as const;
  // Rates just above and at this visitor's fixed slot: in the sample for one survey, out for the other.
  const inRate = Math.min(1, sampleSlot(anonymousId, 'sampled-in') + 0.001);
  const outRate = sampleSlot(anonymousId, 'sampled-out');
  const extra: SurveyDefinition[] = [
    { ...base, id: 'sampled-out', sampleRate: outRate, questions: [...base.questions] },
    { ...base, id: 'sampled-in', sampleRate: inRate, questions: [...base.questions] },
    { ...base, id: 'later', trigger: { event: 'Later Event' }, questions: [...base.questions] },
  ];
  const origins = (await server.app.deps.sites.get('demo'))!.allowedOrigins;
  await server.app.deps.sites.configure('demo', demo.name, origins, { surveys: [...demo.config.surveys, ...extra] });
  try {
    await context.addInitScript((id) => {
      if (localStorage.getItem('tp:v1:anon')) return;
      localStorage.setItem('tp:v1:anon', JSON.stringify(id));
      const c = { necessary: true, functional: true, analytics: true, replay: true, marketing: true };
      localStorage.setItem('tp:v1:consent', JSON.stringify({ v: '1', c, m: 'banner' }));
    }, anonymousId);
    const page = await context.newPage();
    const shown: string[] = [];
    await page.exposeFunction('surveyShown', (id: string) => shown.push(id));
    await page.addInitScript(() => document.addEventListener('tp-survey-show', (e) => (window as any).surveyShown((e.target as any).definition.id)));
    for (let i = 0; i < 3; i++) {
      if (i === 0) await page.goto(`${shop.url}/`);
      else await page.reload();
      await page.waitForFunction(() => (window as any).touchpoint?.survey?.definition);
      await page.evaluate(() => (window as any).touchpoint.track('Sample Me'));
      // The event is built and every listener has run (a survey not shown now is in `shown` by the end if it ever shows).
      await sdkSettled(page);
      if (i === 0) {
        await expect(survey(page).getByRole('dialog')).toBeVisible();
        await survey(page).getByRole('button', { name: 'Close survey' }).click();
      }
      await expect(survey(page)).toHaveCount(0);
    }
    expect(shown).toEqual(['sampled-in']);

    // A new session (the last one idle for over 30 minutes): the 14-day cooldown still holds…
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem('tp:v1:session')!);
      localStorage.setItem('tp:v1:session', JSON.stringify({ ...s, last: Date.now() - 31 * 60_000 }));
    });
    const before = await page.evaluate(() => (window as any).touchpoint.sessionId);
    await page.reload();
    await page.waitForFunction(() => (window as any).touchpoint?.survey?.definition);
    await page.evaluate(() => (window as any).touchpoint.track('Later Event'));
    expect(await page.evaluate(() => (window as any).touchpoint.sessionId)).not.toBe(before);
    expect(await page.evaluate(() => (window as any).touchpoint.survey.show('later'))).toBe(false);
    await expect(survey(page)).toHaveCount(0);
    // …unless the page insists.
    expect(await page.evaluate(() => (window as any).touchpoint.survey.show('later', { force: true }))).toBe(true);
    await expect(survey(page).getByRole('dialog')).toBeVisible();
    expect(shown).toEqual(['sampled-in', 'later']);
    expect(await page.evaluate(() => (window as any).touchpoint.anonymousId)).toBe(anonymousId);
    await expect.poll(async () => (await answersOf(server, anonymousId)).map((a) => [a.survey_id, a.question_id])).toEqual([['sampled-in', '$dismissed']]);
    await survey(page).getByRole('button', { name: 'Close survey' }).click();
  } finally {
    await server.app.deps.sites.configure('demo', demo.name, origins, demo.config);
  }
});

test('the floating survey fits a 320 px phone, with touch-sized choices', async ({ page, shop }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await order(page, shop.url);
  const card = survey(page).getByRole('dialog', { name: 'Feedback' });
  await expect(card).toBeVisible();
  const box = (await card.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(320);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  const point = (await survey(page).locator('.point span').first().boundingBox())!;
  expect(point.height).toBeGreaterThanOrEqual(44);
});

test('an owner adds Traditional Chinese and Arabic to a survey in the builder, previews each, publishes; a zh-TW visitor answers in Traditional Chinese and the answers record it', async ({ browser, server, shop }) => {
  test.setTimeout(90_000);
  // A site of this test's own, allowing only the shop's origin.
  const key = `langs-${Date.now().toString(36)}`;
  await server.app.deps.sites.configure(key, 'Languages shop', [shop.url], {});
  const owner = await signIn(browser, server, '');
  await owner.goto(`${server.url}/console/surveys?site=${key}`);
  const builder = owner.locator('tp-survey-builder');
  await builder.getByRole('button', { name: 'New survey' }).click();
  await builder.getByLabel('Survey id').fill('lang-ces');
  await builder.getByLabel('Brand', { exact: true }).fill('Acme');
  await builder.getByLabel('Task', { exact: true }).fill('pay');
  await builder.getByRole('button', { name: 'Add a question' }).click();
  const q2 = builder.getByRole('group', { name: 'Question 2' });
  await q2.getByLabel('Prompt', { exact: true }).fill('What made it hard?');
  await q2.getByLabel('Show only if').selectOption('q1');
  await q2.getByLabel('score at most').fill('3');
  await builder.getByLabel('On pages', { exact: true }).fill('/pages/*');
  await builder.getByLabel('On pages', { exact: true }).blur();

  const langs = builder.getByRole('group', { name: 'Languages' });
  const preview = builder.getByRole('region', { name: 'Preview' }).locator('tp-survey');
  await langs.getByLabel('Add a language').fill('zh-Hant');
  await langs.getByRole('button', { name: 'Add', exact: true }).click();
  await langs.getByLabel('Brand (zh-Hant)').fill('愛客');
  await langs.getByLabel('Task (zh-Hant)').fill('付款');
  await langs.getByLabel('Prompt of q2 (zh-Hant)').fill('哪裡不容易？');
  await langs.getByLabel('Prompt of q2 (zh-Hant)').blur();
  // The preview shows the language being edited, its built-in texts too.
  await expect(preview.getByRole('radiogroup')).toContainText('愛客讓我能輕鬆地付款。');
  await langs.getByLabel('Add a language').fill('ar');
  await langs.getByRole('button', { name: 'Add', exact: true }).click();
  await langs.getByLabel('Task (ar)').fill('الدفع');
  await langs.getByLabel('Task (ar)').blur();
  await expect(preview.locator('[part=card]')).toHaveAttribute('dir', 'rtl');
  await expect(preview.getByRole('radiogroup')).toContainText('الدفع');
  await langs.getByLabel('Edit and preview in').selectOption('');
  await expect(preview.getByRole('radiogroup')).toContainText('Acme made it easy for me to pay.');
  await builder.getByRole('button', { name: 'Publish' }).click();
  await expect(builder.locator('#builder-status')).toHaveText('Published lang-ces, version 1.');
  const cfg = await (await fetch(`${server.url}/v1/sites/${key}/config`, { headers: { origin: shop.url } })).json();
  expect(cfg.surveys[0].translations).toEqual({ 'zh-Hant': { brand: '愛客', task: '付款', questions: { q2: { prompt: '哪裡不容易？' } } }, ar: { task: 'الدفع' } });
  await owner.context().close();

  // A visitor whose page is zh-TW, on the shop's origin, consent already given.
  const context = await browser.newContext();
  await context.addInitScript(() => {
    const c = { necessary: true, functional: true, analytics: true, replay: true, marketing: true };
    localStorage.setItem('tp:v1:consent', JSON.stringify({ v: '1', c, m: 'banner' }));
  });
  const visitor = await context.newPage();
  await visitor.goto(
    shop.page(
      'zh',
      `<!doctype html><html lang="zh-TW"><head><meta charset="utf-8"><title>茶</title>
<script type="module" src="${server.url}/cdn/touchpoint.js" data-site-key="${key}" data-features="survey"></script></head>
<body><h1>綠茶</h1></body></html>`,
    ),
  );
  await sdkSettled(visitor);
  const card = visitor.locator('tp-survey').getByRole('dialog');
  await expect(card.getByRole('radiogroup')).toContainText('愛客讓我能輕鬆地付款。');
  await expect(visitor.locator('tp-survey').locator('[part=card]')).toHaveAttribute('lang', 'zh-Hant');
  await card.getByRole('radio').nth(1).click();
  await expect(card.getByText('哪裡不容易？')).toBeVisible();
  await card.getByRole('textbox').fill('找不到烏龍茶');
  await card.getByRole('button', { name: '送出' }).click();
  await expect
    .poll(async () => (await server.store.query<{ q: string; locale: string }>(`SELECT question_id AS q, payload->>'locale' AS locale FROM survey_answers WHERE site_key = $1 ORDER BY id`, [key])).rows)
    .toEqual([
      { q: 'q1', locale: 'zh-Hant' },
      { q: 'q2', locale: 'zh-Hant' },
    ]);
  await context.close();
});
