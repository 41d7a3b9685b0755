import type { Page } from '@playwright/test';
import { test, expect, storedEvents, sdkSettled } from './fixtures.js';
import { ensureAgents } from '../../server/agents.js';

const consentRows = async (server: { store: { query: <T>(sql: string, p?: unknown[]) => Promise<{ rows: T[] }> } }, anonymousId: string) =>
  (await server.store.query<{ method: string; categories: Record<string, boolean>; payload: Record<string, any> }>('SELECT method, categories, payload FROM consent_records WHERE anonymous_id = $1 ORDER BY id', [anonymousId])).rows;

const trace = (page: Page) => {
  const batches: string[] = [];
  page.on('request', (r) => r.url().includes('/v1/batch') && batches.push(r.postData() ?? ''));
  return batches;
};
const storage = (page: Page) =>
  page.evaluate(async () => ({
    local: Object.keys(localStorage).sort(),
    cookies: document.cookie,
    dbs: (await indexedDB.databases()).map((d) => d.name),
  }));
const banner = (page: Page) => page.locator('tp-consent-banner');

test.describe('consent in opt-in mode', () => {
  test('before a decision: the banner asks, and nothing is stored or sent', async ({ page, shop }) => {
    const batches = trace(page);
    await page.goto(`${shop.url}/shop`);
    await expect(banner(page).getByRole('button', { name: 'Accept all' })).toBeVisible();
    await page.getByRole('button', { name: 'Add to cart' }).first().click();
    await sdkSettled(page);
    expect(batches).toEqual([]);
    expect(await storage(page)).toEqual({ local: [], cookies: '', dbs: [] });
  });

  test('Reject all: only the consent record is sent, and no event ever, across reloads', async ({ page, server, shop }) => {
    const batches = trace(page);
    await page.goto(`${shop.url}/`);
    await banner(page).getByRole('button', { name: 'Reject all' }).click();
    await expect(banner(page).getByRole('button', { name: 'Accept all' })).toBeHidden();
    const anonymousId = await page.evaluate(() => (window as any).touchpoint.anonymousId);
    await expect.poll(async () => (await consentRows(server, anonymousId)).length).toBe(1);
    for (let i = 0; i < 2; i++) {
      await page.reload();
      await page.getByRole('link', { name: 'Shop', exact: true }).click();
      await page.getByRole('button', { name: 'Add to cart' }).first().click();
      await sdkSettled(page);
      await expect(banner(page).getByRole('button', { name: 'Accept all' })).toBeHidden();
    }
    expect(batches.every((b) => !b.includes('"batch"'))).toBe(true);
    expect(batches.filter((b) => b.includes('"consent"'))).toHaveLength(1);
    expect(await storedEvents(server)).toEqual(expect.not.arrayContaining([expect.objectContaining({ anonymous_id: anonymousId })]));
    // The decision itself is the one thing kept (strictly necessary), nothing else.
    expect(await storage(page)).toEqual({ local: ['tp:v1:consent'], cookies: '', dbs: [] });
    const [record] = await consentRows(server, anonymousId);
    expect(record).toMatchObject({ method: 'banner', categories: { necessary: true, analytics: false, replay: false, marketing: false } });
    expect(record!.payload.textHash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('Accept analytics only: events flow, replay never loads', async ({ page, server, shop }) => {
    const replayRequests: string[] = [];
    page.on('request', (r) => /\/cdn\/replay-/.test(r.url()) && replayRequests.push(r.url()));
    await page.goto(`${shop.url}/`);
    await banner(page).getByRole('button', { name: 'Customize' }).click();
    await banner(page).getByRole('switch', { name: 'Analytics' }).check();
    await banner(page).getByRole('button', { name: 'Save choices' }).click();
    await page.getByRole('link', { name: 'Shop', exact: true }).click();
    const anonymousId = await page.evaluate(() => (window as any).touchpoint.anonymousId);
    await page.evaluate(() => (window as any).touchpoint.flush());
    await expect.poll(async () => (await storedEvents(server, anonymousId)).filter((e) => e.type === 'page').length).toBeGreaterThanOrEqual(2);
    expect(replayRequests).toEqual([]);
    const [record] = await consentRows(server, anonymousId);
    expect(record!.categories).toMatchObject({ analytics: true, replay: false, marketing: false });
  });

  test('Accept all: replay loads, and the page view made before the decision arrives with its original time', async ({ page, server, shop }) => {
    const replayRequests: string[] = [];
    page.on('request', (r) => /\/cdn\/replay-/.test(r.url()) && replayRequests.push(r.url()));
    await page.goto(`${shop.url}/`);
    const loadedAt = await page.evaluate(() => Date.now());
    // The decision comes well after the page view was made (the gap is what is measured, not an effect awaited).
    await expect.poll(() => page.evaluate(() => Date.now()), { intervals: [100] }).toBeGreaterThan(loadedAt + 1_500);
    await banner(page).getByRole('button', { name: 'Accept all' }).click();
    const anonymousId = await page.evaluate(() => (window as any).touchpoint.anonymousId);
    await expect.poll(async () => (await storedEvents(server, anonymousId)).filter((e) => e.type === 'page').length).toBe(1);
    const [view] = (await storedEvents(server, anonymousId)).filter((e) => e.type === 'page');
    expect(Math.abs(new Date(view!.original_timestamp).getTime() - loadedAt)).toBeLessThan(1_000);
    expect(replayRequests).toHaveLength(1);
  });
});

test('Global Privacy Control: marketing stays off and the decision is recorded as GPC', async ({ page, server, shop }) => {
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  await page.goto(`${shop.url}/`);
  await expect(banner(page).locator('[part=banner] [part=gpc]')).toContainText('Global Privacy Control');
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  const anonymousId = await page.evaluate(() => (window as any).touchpoint.anonymousId);
  await expect.poll(async () => (await consentRows(server, anonymousId)).length).toBe(1);
  const [record] = await consentRows(server, anonymousId);
  expect(record).toMatchObject({ method: 'gpc', categories: { analytics: true, marketing: false } });
  expect(record!.payload.gpc).toBe(true);
});

test('a strict-CSP page with Trusted Types required: banner, Consent Mode v2, held scripts and an inline survey work without inline code, eval or an untrusted sink', async ({ page, shop }) => {
  const violations: string[] = [];
  page.on('console', (m) => /Content Security Policy|Trusted ?Type/i.test(m.text()) && violations.push(m.text()));
  // Every violation, also one the SDK catches (a Worker refused, then the main-thread fallback): the event fires regardless.
  await page.addInitScript(() => {
    (window as any).violations = [];
    document.addEventListener('securitypolicyviolation', (e) => (window as any).violations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`));
  });
  const res = await page.goto(`${shop.url}/strict-csp/`);
  // The test cannot pass vacuously: the page is served requiring Trusted Types, allowing only the SDK's and lit's policies.
  expect(res!.headers()['content-security-policy']).toContain("require-trusted-types-for 'script'; trusted-types touchpoint lit-html");
  const accept = banner(page).getByRole('button', { name: 'Accept all' });
  await expect(accept).toBeVisible();
  // Styled by its constructable stylesheet: equal-prominence buttons have the accent background.
  expect(await accept.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(11, 110, 79)');
  expect(await page.evaluate(() => (window as any).heldAnalyticsLoaded)).toBeUndefined();
  await expect.poll(() => page.evaluate(() => ((window as any).dataLayer ?? []).map((a: IArguments) => [...a].slice(0, 2).join(' ')))).toEqual(['consent default']);
  await accept.click();
  await expect(page.locator('#held-status')).toHaveText('Held analytics script: loaded.');
  const calls = await page.evaluate(() => (window as any).dataLayer.map((a: IArguments) => [...a]));
  expect(calls.at(-1)).toEqual(['consent', 'update', expect.objectContaining({ analytics_storage: 'granted', ad_storage: 'granted' })]);
  // Reopened from a data-tp-consent-open element, withdrawn, and the held script does not run twice.
  await page.getByRole('button', { name: 'Privacy choices' }).click();
  await banner(page).getByRole('dialog', { name: 'Privacy preferences' }).getByRole('button', { name: 'Reject all' }).click();
  expect(await page.evaluate(() => (window as any).heldAnalyticsLoaded)).toBe(1);
  // The inline survey renders styled and takes an answer, under the same policy.
  const survey = page.locator('tp-survey');
  await survey.getByRole('radio', { name: '7 – Strongly agree' }).click();
  await expect(survey.getByText('Thank you for your feedback!')).toBeVisible();
  expect(violations).toEqual([]);
  expect(await page.evaluate(() => (window as any).violations)).toEqual([]);
});

test('the banner never hides behind anything and fits a 320 px phone', async ({ page, shop }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(`${shop.url}/`);
  const box = await banner(page).locator('[part=banner]').boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(320);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  for (const name of ['Accept all', 'Reject all', 'Customize']) await expect(banner(page).getByRole('button', { name })).toBeInViewport();
});

test("an agent sees a visitor's consent history in the console, withdrawal included, and can export it", async ({ browser, page, server, shop }) => {
  await page.goto(`${shop.url}/`);
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  const anonymousId = await page.evaluate(() => (window as any).touchpoint.anonymousId);
  await page.getByRole('button', { name: 'Privacy choices' }).click();
  await banner(page).getByRole('dialog', { name: 'Privacy preferences' }).getByRole('button', { name: 'Reject all' }).click();
  await expect.poll(async () => (await consentRows(server, anonymousId)).length, { timeout: 20_000 }).toBe(2);

  const creds = (await ensureAgents(server.store, ''))!;
  const agent = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await agent.goto(`${server.url}/console/consent?visitor=${anonymousId}`);
  await agent.getByLabel('Email').fill(creds.email);
  await agent.getByLabel('Password').fill(creds.password);
  await agent.getByRole('button', { name: 'Sign in' }).click();
  const rows = agent.locator('tr.consent-row');
  await expect(rows).toHaveCount(2);
  // Oldest first: granted, then withdrawn; "analytics" is the third category column.
  await expect(rows.nth(0)).toContainText('granted');
  await expect(rows.nth(1).locator('td').nth(5)).toHaveText('denied');
  const download = agent.waitForEvent('download');
  await agent.getByRole('link', { name: 'Export CSV' }).click();
  const csv = await (await (await download).createReadStream()).toArray();
  expect(Buffer.concat(csv).toString('utf8').trim().split('\r\n')).toHaveLength(3);
  await agent.context().close();
});

/** What the browser itself holds for an origin, read through DevTools (CDP), not through the page's own APIs. */
const cdpAudit = async (page: Page, origin: string) => {
  const cdp = await page.context().newCDPSession(page);
  const { databaseNames } = await cdp.send('IndexedDB.requestDatabaseNames', { securityOrigin: origin });
  const local = await cdp.send('DOMStorage.getDOMStorageItems', { storageId: { securityOrigin: origin, isLocalStorage: true } });
  const session = await cdp.send('DOMStorage.getDOMStorageItems', { storageId: { securityOrigin: origin, isLocalStorage: false } });
  const { cookies } = await cdp.send('Network.getCookies', { urls: [origin] });
  await cdp.detach();
  return {
    dbs: [...databaseNames].sort(),
    keys: [...local.entries, ...session.entries].map(([k]) => k).filter((k) => k.startsWith('tp:')).sort(),
    cookies: cookies.map((c) => c.name).sort(),
  };
};

test('a storage audit through DevTools after withdrawal and after reset(): no database, id or cookie survives a withdrawal; reset() keeps the decision and records it for the new visitor', async ({ browser, server, shop }) => {
  test.setTimeout(60_000);
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${shop.url}/`);
  await banner(page).getByRole('button', { name: 'Accept all' }).click();
  await page.getByRole('link', { name: 'Shop', exact: true }).click();
  await page.getByRole('button', { name: 'Add to cart' }).first().click();
  await sdkSettled(page);
  await expect.poll(async () => (await cdpAudit(page, shop.url)).dbs).toContain('touchpoint');

  // Logout: a new anonymous id, the device's decision carried over and recorded for it.
  const before = await page.evaluate(() => (window as any).touchpoint.anonymousId);
  await page.evaluate(() => (window as any).touchpoint.reset());
  const after = await page.evaluate(() => (window as any).touchpoint.anonymousId);
  expect(after).not.toBe(before);
  await sdkSettled(page);
  await expect.poll(async () => (await consentRows(server, after)).map((r) => r.method)).toEqual(['carried']);
  expect((await cdpAudit(page, shop.url)).keys).toContain('tp:v1:consent');

  // Withdrawal: every database, stored id and cookie of ours is gone; only the decision itself stays.
  await page.evaluate(() => (window as any).touchpoint.consent.denyAll());
  await expect.poll(() => cdpAudit(page, shop.url)).toEqual({ dbs: [], keys: ['tp:v1:consent'], cookies: [] });
  // And stays so while the visitor goes on browsing.
  await page.getByRole('button', { name: 'Add to cart' }).first().click();
  await sdkSettled(page);
  expect(await cdpAudit(page, shop.url)).toEqual({ dbs: [], keys: ['tp:v1:consent'], cookies: [] });
  await page.context().close();
});
