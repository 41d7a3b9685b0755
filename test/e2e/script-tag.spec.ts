import { test, expect, storedEvents } from './fixtures.js';

test.describe('the script tag on the demo site', () => {
  test('replays calls queued before the SDK loaded, in order, with their original time', async ({ page, server }) => {
    // Hold the SDK back so calls land in the snippet's queue first.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/cdn/touchpoint.js', async (route) => {
      await held;
      await route.continue();
    });
    // The held module script delays `load`, not DOMContentLoaded (it is async).
    await page.goto(`${server.url}/`, { waitUntil: 'domcontentloaded' });
    const queuedAt = await page.evaluate(() => {
      const tp = (window as any).touchpoint;
      tp.consent.grantAll();
      tp.track('Queued One');
      tp.track('Queued Two');
      return Date.now();
    });
    await page.waitForTimeout(600);
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

  test('in opt-in mode sends nothing and stores nothing before a decision', async ({ page, server }) => {
    const batches: string[] = [];
    page.on('request', (r) => r.url().includes('/v1/batch') && batches.push(r.url()));
    await page.goto(`${server.url}/shop`);
    await page.getByRole('button', { name: 'Add to cart' }).first().click();
    await page.waitForTimeout(2_500);
    expect(batches).toEqual([]);
    const storage = await page.evaluate(async () => ({
      local: Object.keys(localStorage),
      session: Object.keys(sessionStorage),
      cookies: document.cookie,
      dbs: (await indexedDB.databases()).map((d) => d.name),
    }));
    expect(storage).toEqual({ local: [], session: [], cookies: '', dbs: [] });
  });

  test('records SPA page views with the previous page as referrer, and clicks without input values', async ({ page, server }) => {
    await page.goto(`${server.url}/`);
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
    expect(pages.at(-1)!.payload.properties.referrer).toBe(`${server.url}/`);
    expect(JSON.stringify(events)).not.toContain('secret.person@example.com');
  });

  test('never throws into the page when the SDK is blocked', async ({ page, server }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('**/cdn/touchpoint.js', (route) => route.abort('blockedbyclient'));
    await page.goto(`${server.url}/`);
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

test('the import example: createTouchpoint() from the npm build tracks once consent allows', async ({ page, server }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/import/`);
  await page.waitForFunction(() => (window as any).touchpoint?.anonymousId);
  await page.getByRole('button', { name: 'Allow analytics' }).click();
  await page.getByRole('button', { name: 'Sign up' }).click();
  const anonymousId = await page.evaluate(() => (window as any).touchpoint.anonymousId);
  await expect.poll(async () => (await storedEvents(server, anonymousId)).map((e) => e.name ?? e.type)).toEqual(expect.arrayContaining(['page', 'Signed Up']));
  await expect(page.getByRole('status')).toContainText('HTTP 200');
  expect(errors).toEqual([]);
});
