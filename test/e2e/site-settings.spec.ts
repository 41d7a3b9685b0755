import { test, expect, consoleOwner, sdkSettled } from './fixtures.js';
import type { TestServer } from '../support/start-server.js';

/** A visitor of the shop asking the bot, from the shop's origin (the allow-list is checked): the bot's reply. */
const botSays = async (server: TestServer, origin: string, site: string, question: string) => {
  const post = async (path: string, body: unknown) => {
    const r = await fetch(`${server.url}/v1${path}`, { method: 'POST', headers: { 'content-type': 'text/plain', origin }, body: JSON.stringify(body) });
    expect(r.status, path).toBe(200);
    return r.json();
  };
  const anonymousId = `tea-${Math.random().toString(36).slice(2)}`;
  const { token } = await post('/visitor', { protocol: 1, siteKey: site, anonymousId });
  const started = await post('/chat/conversations', { protocol: 1, siteKey: site, token, clientId: `${anonymousId}-c`, body: question });
  return (started.events as { author: { kind: string }; body?: string }[]).filter((e) => e.author.kind === 'bot').at(-1)?.body;
};

test('an owner sets up a Shanghai site, builds and previews a CES survey with a follow-up, a visitor answers; the edited bot answer reaches the next visitor without a restart', async ({ browser, server, shop }) => {
  test.setTimeout(120_000);
  const owner = await consoleOwner(browser, server, '/console/settings?site=demo');

  // A new site whose allowed origins list only the shop.
  const add = owner.getByRole('form', { name: 'Add a site' });
  await add.getByLabel('Name').fill('Shanghai Tea');
  await add.getByLabel('Its origin').fill(shop.url);
  await add.getByRole('button', { name: 'Add site' }).click();
  await owner.waitForURL(/\/console\/settings\?site=shanghai-tea-/);
  const key = new URL(owner.url()).searchParams.get('site')!;
  await expect(owner.getByRole('heading', { name: 'Settings · Shanghai Tea' })).toBeVisible();

  // Its time zone and currency; a zone Intl does not know is refused with the reason.
  const settings = owner.locator('tp-site-settings');
  await settings.getByLabel('Time zone').fill('Asia/Shangai');
  await settings.getByRole('button', { name: 'Save site' }).click();
  await expect(settings.getByRole('alert')).toContainText('is not an IANA time zone');
  await settings.getByLabel('Time zone').fill('Asia/Shanghai');
  await settings.getByLabel('Currency (ISO 4217)').fill('CNY');
  await settings.getByRole('button', { name: 'Save site' }).click();
  await expect(settings.locator('#saved')).toHaveText(/Site settings saved/);
  await expect.poll(async () => (await server.app.deps.sites.get(key))?.config).toMatchObject({ timeZone: 'Asia/Shanghai', currency: 'CNY' });
  expect((await server.app.deps.sites.get(key))!.allowedOrigins).toEqual([shop.url]);

  // The bot's answer, tried in the test box before it is saved.
  await settings.getByRole('button', { name: 'Add an answer' }).click();
  await settings.getByLabel('Keywords 1').fill('tea');
  await settings.getByRole('textbox', { name: 'Answer 1' }).fill('Our tea ships from Hangzhou in 2 days.');
  await settings.getByLabel('Try a question').fill('When does my tea arrive?');
  await settings.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(settings.locator('#bot-test')).toHaveText('Answer 1: Our tea ships from Hangzhou in 2 days.');
  await settings.getByRole('button', { name: 'Save answers' }).click();
  await expect(settings.locator('#saved')).toHaveText(/Bot settings saved/);
  expect(await botSays(server, shop.url, key, 'When does my tea arrive?')).toBe('Our tea ships from Hangzhou in 2 days.');

  // The survey builder: CES, then a follow-up shown for a score of 3 or less.
  await owner.goto(`${server.url}/console/surveys?site=${key}`);
  const builder = owner.locator('tp-survey-builder');
  await builder.getByRole('button', { name: 'New survey' }).click();
  await builder.getByLabel('Survey id').fill('tea-ces');
  await builder.getByLabel('Brand', { exact: true }).fill('Shanghai Tea');
  await builder.getByLabel('Task', { exact: true }).fill('find my tea');
  await builder.getByRole('button', { name: 'Add a question' }).click();
  const q2 = builder.getByRole('group', { name: 'Question 2' });
  await q2.getByLabel('Prompt', { exact: true }).fill('What made it hard?');
  await q2.getByLabel('Show only if').selectOption('q1');
  await q2.getByLabel('score at most').fill('3');
  await q2.getByLabel('score at most').blur();
  await builder.getByLabel('On pages', { exact: true }).fill('/pages/*');
  await builder.getByLabel('On pages', { exact: true }).blur();
  // The preview is the real element: the CES statement, and the follow-up after a low score.
  const preview = builder.getByRole('region', { name: 'Preview' }).locator('tp-survey');
  await expect(preview.getByRole('radiogroup')).toContainText('Shanghai Tea made it easy for me to find my tea.');
  await preview.getByRole('radio', { name: '2 – Disagree', exact: true }).click();
  await expect(preview.getByText('What made it hard?')).toBeVisible();
  await builder.getByRole('button', { name: 'Publish' }).click();
  await expect(builder.locator('#builder-status')).toHaveText('Published tea-ces, version 1.');
  const published = ((await server.app.deps.sites.get(key))!.config.surveys as { id: string; questions: unknown[] }[])[0]!;
  expect(published).toMatchObject({ id: 'tea-ces', version: 1, questions: [{ id: 'q1', type: 'ces' }, { id: 'q2', type: 'text', prompt: 'What made it hard?', showIf: { question: 'q1', max: 3 } }] });
  // The preview sent nothing.
  expect((await server.store.query('SELECT 1 FROM survey_answers WHERE site_key = $1', [key])).rows).toHaveLength(0);

  // A visitor on the shop's origin answers (consent already given, policy version 1).
  const context = await browser.newContext();
  await context.addInitScript(() => {
    const c = { necessary: true, functional: true, analytics: true, replay: true, marketing: true };
    localStorage.setItem('tp:v1:consent', JSON.stringify({ v: '1', c, m: 'banner' }));
  });
  const page = await context.newPage();
  await page.goto(
    shop.page(
      'tea',
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tea</title>
<script type="module" src="${server.url}/cdn/touchpoint.js" data-site-key="${key}" data-features="consent survey"></script></head>
<body><h1>Green tea</h1></body></html>`,
    ),
  );
  // Decided under policy version 1: no banner.
  await sdkSettled(page);
  await expect(page.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' })).toBeHidden();
  const card = page.locator('tp-survey').getByRole('dialog', { name: 'Feedback' });
  await expect(card.getByRole('radiogroup')).toContainText('Shanghai Tea made it easy for me to find my tea.');
  await card.getByRole('radio', { name: '2 – Disagree', exact: true }).click();
  await card.getByRole('textbox').fill('The search did not know oolong');
  await card.getByRole('button', { name: 'Submit' }).click();
  await expect(card.getByText('Thank you for your feedback!')).toBeVisible();
  await expect
    .poll(async () => (await server.store.query<{ question_id: string; value: unknown; survey_version: number }>('SELECT question_id, value, survey_version FROM survey_answers WHERE site_key = $1 ORDER BY id', [key])).rows)
    .toEqual([
      { question_id: 'q1', value: 2, survey_version: 1 },
      { question_id: 'q2', value: 'The search did not know oolong', survey_version: 1 },
    ]);
  await context.close();

  // A new version when the questions change: the answers keep the version they were given to. Then paused: no one is asked.
  await builder.getByRole('button', { name: 'Edit tea-ces' }).click();
  await q2.getByLabel('Prompt', { exact: true }).fill('What would have made it easier?');
  await q2.getByLabel('Prompt', { exact: true }).blur();
  await builder.getByRole('button', { name: 'Publish' }).click();
  await expect(builder.locator('#builder-status')).toHaveText(/^Published tea-ces, version 2 \(new questions/);
  expect((await server.store.query<{ v: number }>('SELECT DISTINCT survey_version AS v FROM survey_answers WHERE site_key = $1', [key])).rows).toEqual([{ v: 1 }]);
  await builder.getByRole('button', { name: 'Pause tea-ces' }).click();
  await expect(builder.locator('#builder-status')).toHaveText('Paused tea-ces: no visitor is asked.');
  const paused = (await server.app.deps.sites.get(key))!.config;
  expect(paused.surveys).toEqual([]);
  expect(paused.pausedSurveys).toMatchObject([{ id: 'tea-ces', version: 2 }]);
  expect((await (await fetch(`${server.url}/v1/sites/${key}/config`)).json()).surveys).toEqual([]);

  // The owner edits the bot's answer; the next visitor gets the new one, no restart.
  await owner.goto(`${server.url}/console/settings?site=${key}`);
  await settings.getByRole('textbox', { name: 'Answer 1' }).fill('Our tea now ships from Hangzhou the next day.');
  await settings.getByRole('button', { name: 'Save answers' }).click();
  await expect(settings.locator('#saved')).toHaveText(/Bot settings saved/);
  expect(await botSays(server, shop.url, key, 'When does my tea arrive?')).toBe('Our tea now ships from Hangzhou the next day.');

  // A new consent policy version, served in the site config.
  await settings.getByRole('button', { name: 'Save as a new version' }).click();
  await expect(settings.locator('#saved')).toHaveText(/Consent settings saved/);
  expect((await server.app.deps.sites.get(key))!.config.consent).toMatchObject({ policyVersion: '2' });
  expect((await (await fetch(`${server.url}/v1/sites/${key}/config`)).json()).consent.policyVersion).toBe('2');
  await owner.context().close();
});

/** A site of its own whose consent policy, saved as in the console, is at version 2. */
const siteAtVersion2 = async (server: TestServer, origin: string, name: string) => {
  const key = `${name}-${Math.random().toString(36).slice(2, 8)}`;
  await server.app.deps.sites.create(key, name, [origin]);
  await server.app.deps.sites.update(key, { config: { consent: { mode: 'opt-in', policyVersion: '2', categories: ['necessary', 'analytics', 'replay'] } } });
  return key;
};
const tagPage = (server: TestServer, key: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tea</title>
<script type="module" src="${server.url}/cdn/touchpoint.js" data-site-key="${key}" data-features="consent"></script></head><body><h1>Tea</h1></body></html>`;
const consentRecords = async (server: TestServer, key: string) =>
  (await server.store.query<{ policy_version: string; method: string }>('SELECT policy_version, method FROM consent_records WHERE site_key = $1 ORDER BY timestamp, received_at', [key])).rows;

test('a new consent policy version saved in the console asks a visitor who decided under the old one again', async ({ browser, server, shop }) => {
  const key = await siteAtVersion2(server, shop.url, 'consent-bump');
  const context = await browser.newContext();
  await context.addInitScript(() => {
    // Only on the first page: a reload keeps what the visitor decided there.
    if (sessionStorage.getItem('planted')) return;
    sessionStorage.setItem('planted', '1');
    const c = { necessary: true, functional: true, analytics: true, replay: true, marketing: true };
    localStorage.setItem('tp:v1:consent', JSON.stringify({ v: '1', c, m: 'banner' }));
  });
  const page = await context.newPage();
  const configs: string[] = [];
  page.on('request', (r) => r.url().includes(`/v1/sites/${key}/config`) && configs.push(r.url()));
  await page.goto(shop.page(`bump-${key}`, tagPage(server, key)));
  // Decided under version 1, so the page may ask for the site config: version 2 there asks again.
  const banner = page.locator('tp-consent-banner');
  await expect(banner.getByRole('button', { name: 'Accept all' })).toBeVisible();
  expect(configs.length).toBeGreaterThan(0);
  // The old decision no longer counts: analytics waits for the new one.
  expect(await page.evaluate(() => (window as any).touchpoint.consent.get())).toMatchObject({ policyVersion: '2', decided: false, needsPrompt: true, categories: { analytics: false } });
  await banner.getByRole('button', { name: 'Reject all' }).click();
  await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('tp:v1:consent')!))).toMatchObject({ v: '2', c: { analytics: false } });
  await sdkSettled(page);
  await expect.poll(() => consentRecords(server, key)).toEqual([{ policy_version: '2', method: 'banner' }]);
  // Decided under the site's version: the next page does not ask.
  await page.reload();
  await sdkSettled(page);
  await expect.poll(() => configs.length).toBeGreaterThan(1);
  await expect(banner.getByRole('button', { name: 'Accept all' })).toBeHidden();
  expect(await page.evaluate(() => (window as any).touchpoint.consent.get())).toMatchObject({ policyVersion: '2', decided: true });
  await context.close();
});

test('a new visitor on a site at policy version 2 is asked once: no request before the decision, then the decision is recorded under version 2', async ({ browser, server, shop }) => {
  const key = await siteAtVersion2(server, shop.url, 'consent-new');
  const context = await browser.newContext();
  const page = await context.newPage();
  const api: string[] = [];
  page.on('request', (r) => r.url().startsWith(`${server.url}/v1/`) && api.push(r.url()));
  await page.goto(shop.page(`new-${key}`, tagPage(server, key)));
  const banner = page.locator('tp-consent-banner');
  await expect(banner.getByRole('button', { name: 'Accept all' })).toBeVisible();
  await sdkSettled(page);
  expect(api).toEqual([]);
  await banner.getByRole('button', { name: 'Accept all' }).click();
  // The page could not know the site's version before the decision: once the config says 2, the decision made on
  // this page's banner is recorded again under it (`carried`), and the banner does not ask a second time.
  await expect.poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('tp:v1:consent')!).v)).toBe('2');
  await sdkSettled(page);
  await expect.poll(() => consentRecords(server, key)).toEqual([
    { policy_version: '1', method: 'banner' },
    { policy_version: '2', method: 'carried' },
  ]);
  await expect(banner.getByRole('button', { name: 'Accept all' })).toBeHidden();
  await page.reload();
  await sdkSettled(page);
  await expect(banner.getByRole('button', { name: 'Accept all' })).toBeHidden();
  expect(await page.evaluate(() => (window as any).touchpoint.consent.get())).toMatchObject({ policyVersion: '2', decided: true, categories: { analytics: true } });
  await context.close();
});
