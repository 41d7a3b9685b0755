import type { Page } from '@playwright/test';
import { test, expect, storedEvents, sdkSettled } from './fixtures.js';

/** The demo page (on the shop's origin) with analytics granted, ready to track. */
const ready = async (page: Page, url: string) => {
  await page.goto(`${url}/`);
  await page.evaluate(() => (window as any).touchpoint.consent.grantAll());
  await page.waitForFunction(() => (window as any).touchpoint?.anonymousId);
  return page.evaluate(() => (window as any).touchpoint.anonymousId as string);
};
const track = (page: Page, prefix: string, n: number) =>
  page.evaluate(
    ([p, count]) => {
      for (let i = 0; i < (count as number); i++) (window as any).touchpoint.track(`${p} ${i}`);
    },
    [prefix, n] as const,
  );
const countByName = async (server: Parameters<typeof storedEvents>[0], anonymousId: string, prefix: string) => {
  const names = (await storedEvents(server, anonymousId)).map((e) => e.name).filter((n): n is string => !!n && n.startsWith(prefix));
  return { total: names.length, unique: new Set(names).size };
};

test.describe('delivery faults: every event arrives exactly once', () => {
  test('offline, then online', async ({ context, page, server, shop }) => {
    const id = await ready(page, shop.url);
    await context.setOffline(true);
    await track(page, 'Offline', 30);
    // Built, stored in the outbox and tried (and failed) to send: nothing can have arrived.
    await sdkSettled(page);
    expect((await countByName(server, id, 'Offline')).total).toBe(0);
    await context.setOffline(false);
    await expect.poll(() => countByName(server, id, 'Offline'), { timeout: 20_000 }).toEqual({ total: 30, unique: 30 });
  });

  test('a tab closed before it could send, then reopened', async ({ context, server, shop }) => {
    const first = await context.newPage();
    const id = await ready(first, shop.url);
    // Hold every batch so the tab closes with its events still in the outbox.
    await context.route('**/v1/batch**', (route) => route.abort());
    await track(first, 'Closed tab', 25);
    // In the outbox, and the send tried and failed.
    await sdkSettled(first);
    expect((await countByName(server, id, 'Closed tab')).total).toBe(0);
    await first.close();
    await context.unroute('**/v1/batch**');
    const second = await context.newPage();
    await second.goto(`${shop.url}/`);
    await expect.poll(() => countByName(server, id, 'Closed tab'), { timeout: 20_000 }).toEqual({ total: 25, unique: 25 });
  });

  test('two tabs tracking at once', async ({ context, server, shop }) => {
    const a = await context.newPage();
    const id = await ready(a, shop.url);
    const b = await context.newPage();
    await b.goto(`${shop.url}/`);
    await Promise.all([track(a, 'Tab A', 40), track(b, 'Tab B', 40)]);
    await expect.poll(async () => [await countByName(server, id, 'Tab A'), await countByName(server, id, 'Tab B')], { timeout: 20_000 }).toEqual([
      { total: 40, unique: 40 },
      { total: 40, unique: 40 },
    ]);
  });

  test('IndexedDB unavailable (private mode, blocked storage): events still arrive, and nothing throws', async ({ context, server, shop }) => {
    await context.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', {
        get() {
          throw new DOMException('IndexedDB is disabled', 'SecurityError');
        },
      });
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const id = await ready(page, shop.url);
    await track(page, 'No IDB', 20);
    await expect.poll(() => countByName(server, id, 'No IDB'), { timeout: 20_000 }).toEqual({ total: 20, unique: 20 });
    expect(errors).toEqual([]);
  });

  test('a reload storm: events tracked just before each reload arrive once', async ({ page, server, shop }) => {
    const id = await ready(page, shop.url);
    for (let round = 0; round < 5; round++) {
      await track(page, `Storm ${round}`, 10);
      await page.reload();
      await page.waitForFunction(() => (window as any).touchpoint?.anonymousId);
    }
    await expect
      .poll(async () => (await Promise.all([0, 1, 2, 3, 4].map((r) => countByName(server, id, `Storm ${r} `)))).map((c) => `${c.total}/${c.unique}`), { timeout: 20_000 })
      .toEqual(['10/10', '10/10', '10/10', '10/10', '10/10']);
  });
});
