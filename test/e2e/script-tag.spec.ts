import { resolve } from 'node:path';
import { test, expect, storedEvents, sdkSettled } from './fixtures.js';
import { startShop } from '../support/start-shop.js';

test.describe('the script tag on the demo site', () => {
  test('replays calls queued before the SDK loaded, in order, with their original time', async ({ page, server, shop }) => {
    // Hold the SDK back so calls land in the snippet's queue first.
    let release!: () => void;
    let requested!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const asked = new Promise<void>((r) => (requested = r));
    await page.route('**/cdn/touchpoint.js', async (route) => {
      requested();
      await held;
      await route.continue();
    });
    // The held module script delays `load`, not DOMContentLoaded (it is async).
    await page.goto(`${shop.url}/`, { waitUntil: 'domcontentloaded' });
    const queuedAt = await page.evaluate(() => {
      const tp = (window as any).touchpoint;
      tp.consent.grantAll();
      tp.track('Queued One');
      tp.track('Queued Two');
      return Date.now();
    });
    // The SDK arrives at least 600 ms after the calls (the gap is what is measured, not an effect awaited).
    await asked;
    await expect.poll(() => page.evaluate(() => Date.now()), { intervals: [50] }).toBeGreaterThan(queuedAt + 600);
    release();
    const anonymousId = await page.waitForFunction(() => (window as any).touchpoint?.anonymousId).then((h) => h.jsonValue());
    await expect.poll(async () => (await storedEvents(server, anonymousId)).filter((e) => e.type === 'track').map((e) => e.name)).toEqual(
      expect.arrayContaining(['Queued One', 'Queued Two']),
    );
    const rows = (await storedEvents(server, anonymousId)).filter((e) => e.name?.startsWith('Queued'));
    expect(rows.map((r) => r.name)).toEqual(['Queued One', 'Queued Two']);
    // The time the call was made, not the time the SDK arrived 600 ms later.
    for (const r of rows) expect(Math.abs(new Date(r.original_timestamp).getTime() - queuedAt)).toBeLessThan(400);
    // The time zone, computed in a worker off the main thread (lib/timezone.ts), is on every event.
    const tz = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    for (const r of rows) expect(r.payload.context.timezone).toBe(tz);
  });

  test('in opt-in mode sends nothing and stores nothing before a decision', async ({ page, shop }) => {
    const batches: string[] = [];
    page.on('request', (r) => r.url().includes('/v1/batch') && batches.push(r.url()));
    await page.goto(`${shop.url}/shop`);
    await page.getByRole('button', { name: 'Add to cart' }).first().click();
    await sdkSettled(page);
    expect(batches).toEqual([]);
    const storage = await page.evaluate(async () => ({
      local: Object.keys(localStorage),
      session: Object.keys(sessionStorage),
      cookies: document.cookie,
      dbs: (await indexedDB.databases()).map((d) => d.name),
    }));
    expect(storage).toEqual({ local: [], session: [], cookies: '', dbs: [] });
  });

  test('records SPA page views with the previous page as referrer, and clicks without input values', async ({ page, server, shop }) => {
    await page.goto(`${shop.url}/`);
    await page.evaluate(() => (window as any).touchpoint.consent.grantAll());
    await page.getByRole('link', { name: 'Checkout' }).click();
    await page.getByLabel('Email').fill('secret.person@example.com');
    await page.getByRole('button', { name: 'Place order' }).click();
    const anonymousId = await page.evaluate(() => (window as any).touchpoint.anonymousId);
    await page.evaluate(() => (window as any).touchpoint.flush());
    await expect.poll(async () => (await storedEvents(server, anonymousId)).map((e) => e.name ?? e.type)).toEqual(
      expect.arrayContaining(['page', 'Element Clicked', 'Form Submitted', 'Order Completed']),
    );
    const events = await storedEvents(server, anonymousId);
    const pages = events.filter((e) => e.type === 'page');
    expect(pages.at(-1)!.payload.context.page.path).toBe('/checkout');
    expect(pages.at(-1)!.payload.properties.referrer).toBe(`${shop.url}/`);
    expect(JSON.stringify(events)).not.toContain('secret.person@example.com');
  });

  test('never throws into the page when the SDK is blocked', async ({ page, shop }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('**/cdn/touchpoint.js', (route) => route.abort('blockedbyclient'));
    await page.goto(`${shop.url}/`);
    await page.evaluate(() => {
      const tp = (window as any).touchpoint;
      tp.track('x');
      tp.identify('u');
      tp.consent.grantAll();
      tp.page();
      for (let i = 0; i < 5000; i++) tp.track('flood'); // the queue is bounded
    });
    expect(await page.evaluate(() => (window as any).touchpoint.q.length)).toBe(1000);
    expect(errors).toEqual([]);
  });
});

test('the import example: createTouchpoint() from the npm build tracks once consent allows', async ({ page, server, shop }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${shop.url}/import/`);
  await page.waitForFunction(() => (window as any).touchpoint?.anonymousId);
  await page.getByRole('button', { name: 'Allow analytics' }).click();
  await page.getByRole('button', { name: 'Sign up' }).click();
  const anonymousId = await page.evaluate(() => (window as any).touchpoint.anonymousId);
  await expect.poll(async () => (await storedEvents(server, anonymousId)).map((e) => e.name ?? e.type)).toEqual(expect.arrayContaining(['page', 'Signed Up']));
  await expect(page.getByRole('status')).toContainText('HTTP 200');
  expect(errors).toEqual([]);
});

test("a third origin's data is refused as docs/protocol.md says (403 origin_not_allowed), and nothing of it is stored", async ({ page, server, shop }) => {
  // The same pages on 127.0.0.3: the site's allowed origins list only the shop.
  const other = await startShop(resolve(import.meta.dirname, '../..'), { server: server.url, host: '127.0.0.3' });
  try {
    expect((await server.app.deps.sites.get('demo'))!.allowedOrigins).toEqual([shop.url]);
    const refused = page.waitForResponse((r) => r.url().startsWith(`${server.url}/v1/batch`) && r.request().method() === 'POST');
    await page.goto(`${other.url}/`);
    // The SDK itself loads (public assets serve any origin); its data does not get in.
    await page.evaluate(() => {
      const tp = (window as any).touchpoint;
      tp.consent.grantAll();
      tp.track('From a third origin');
    });
    const res = await refused;
    expect(res.status()).toBe(403);
    expect((await res.json()).error.code).toBe('origin_not_allowed');
    // CORS lets the SDK read the refusal (and stop retrying a request that can never succeed).
    expect(res.headers()['access-control-allow-origin']).toBe(other.url);
    const anonymousId = await page.evaluate(() => (window as any).touchpoint.anonymousId);
    await sdkSettled(page);
    expect(await storedEvents(server, anonymousId)).toEqual([]);
  } finally {
    await other.close();
  }
});
