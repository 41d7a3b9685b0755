import { test as base, expect, type Browser, type Locator, type Page } from '@playwright/test';
import { ensureAgents } from '../../server/agents.js';
import { resolve } from 'node:path';
import { serverStatics } from '../../server/demo-statics.js';
import { startServer, type TestServer } from '../support/start-server.js';
import { startShop, type Shop } from '../support/start-shop.js';
import { applySiteFile } from '../../server/site-file.js';

const root = resolve(import.meta.dirname, '../..');

/** Rows the server stored for a visitor, read straight from its store. */
export const storedEvents = async (server: TestServer, anonymousId?: string) =>
  (
    await server.store.query<{ type: string; name: string | null; anonymous_id: string; original_timestamp: Date; payload: Record<string, any> }>(
      `SELECT type, name, anonymous_id, original_timestamp, payload FROM events ${anonymousId ? 'WHERE anonymous_id = $1' : ''} ORDER BY id`,
      anonymousId ? [anonymousId] : [],
    )
  ).rows;

/**
 * The real world: a Touchpoint server (PGlite in memory) serving the console
 * and the CDN build on http://127.0.0.1:<port>, and the shop (the demo pages)
 * on its own server at http://127.0.0.2:<port> — another origin, another site.
 * The demo site's allowed origins list only the shop, so every journey goes
 * through CORS and the allow-list as a real site's pages do.
 */
export const test = base.extend<object, { server: TestServer; shop: Shop }>({
  server: [
    async ({}, use) => {
      const server = await startServer({ statics: serverStatics(root) });
      // The demo site's config, as `npm start` applies it (survey definitions…).
      await applySiteFile(server.app.deps.sites, resolve(root, 'server/demo-sites.json'));
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  shop: [
    async ({ server }, use) => {
      const shop = await startShop(root, { server: server.url });
      await server.app.deps.sites.setOrigins('demo', [shop.url]);
      await use(shop);
      await shop.close();
    },
    { scope: 'worker' },
  ],
});
export { expect };

/**
 * A positive barrier for tests that prove nothing was sent: the real SDK has
 * loaded (the snippet's stub has no `ready`) and has worked through every call
 * made so far — `flush()` resolves after it built, stored and tried to send
 * them. Whatever it would have sent, it has by then.
 */
export const sdkSettled = async (page: Page): Promise<void> => {
  await page.waitForFunction(() => typeof (window as any).touchpoint?.ready === 'function');
  await page.evaluate(() => (window as any).touchpoint.flush());
};

/** Whether any IndexedDB store of the page holds `text` (a queued message is written there before it is sent). */
export const inIndexedDb = (page: Page, text: string): Promise<boolean> =>
  page.evaluate(async (needle) => {
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await new Promise<IDBDatabase>((res, rej) => Object.assign(indexedDB.open(name), { onsuccess: (e: Event) => res((e.target as IDBOpenDBRequest).result), onerror: rej }));
      try {
        for (const store of db.objectStoreNames) {
          const all = await new Promise<unknown[]>((res, rej) => Object.assign(db.transaction(store).objectStore(store).getAll(), { onsuccess: (e: Event) => res((e.target as IDBRequest).result), onerror: rej }));
          if (JSON.stringify(all).includes(needle)) return true;
        }
      } finally {
        db.close();
      }
    }
    return false;
  }, text);

/** An owner signed in to the console at `url` (a path of it), in a context of their own. */
export const consoleOwner = async (browser: Browser, server: TestServer, url: string): Promise<Page> => {
  const creds = (await ensureAgents(server.store, ''))!;
  const owner = await (await browser.newContext()).newPage();
  await owner.goto(`${server.url}${url}`);
  await owner.getByLabel('Email').fill(creds.email);
  await owner.getByLabel('Password').fill(creds.password);
  await owner.getByRole('button', { name: 'Sign in' }).click();
  return owner;
};

/** A visitor in a context of their own on the shop at `path`: consent accepted, the chat open, its composer returned. */
export const visitorInChat = async (browser: Browser, shop: Shop, path = '/'): Promise<{ page: Page; composer: Locator }> => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${shop.url}${path}`);
  await page.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' }).click();
  await page.getByRole('button', { name: 'Chat with us' }).click();
  return { page, composer: page.getByRole('textbox', { name: 'Write a message…' }) };
};
