import type { BrowserContext, Page } from '@playwright/test';
import { buildApp } from '../../server/app.js';
import { openStore } from '../../server/store/open-store.js';
import { serverStatics } from '../../server/demo-statics.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { startSite, type Site } from '../support/durability-site.js';
import type { TestServer } from '../support/start-server.js';
import { test, expect, storedEvents } from './fixtures.js';
import { resolve } from 'node:path';

/**
 * Nothing lost when the browser misbehaves (issue #19). Every journey runs a
 * page on its own origin (a site whose allowed origins list only it) that
 * talks to the server through a fault-injecting proxy; what arrived is
 * counted at the server, in its store: 0 lost, 0 duplicated, evictions exact.
 */
const SITE = 'durable';
let proxy: FaultProxy;
let site: Site;
let api: string;

test.beforeAll(async ({ server }) => {
  api = server.url;
  proxy = await startFaultProxy(api);
  site = await startSite(proxy.url, SITE);
  await server.app.deps.sites.ensure(SITE, 'Durability site', [site.origin]);
  await server.app.deps.sites.setOrigins(SITE, [site.origin]);
  // Replay (the script-tag pages only) in on-error buffer mode for every session.
  await server.app.deps.sites.configure(SITE, 'Durability site', [site.origin], { sampling: { replay: 0, replayOnError: 1 } });
});
test.afterAll(async () => {
  await site.close();
  await proxy.close();
});
test.beforeEach(() => {
  proxy.target = api;
  proxy.fault = () => undefined;
});

const isBatch = (r: { method: string; path: string }) => r.method === 'POST' && r.path.startsWith('/v1/batch');

/** Opens the npm page with `query` and returns it with the visitor's anonymous id, as soon as the SDK exists. */
const open = async (context: BrowserContext, query: string, page?: Page, waitUntil: 'commit' | 'load' = 'commit') => {
  page ??= await context.newPage();
  page.on('console', (m) => process.env.DEBUG_DURABILITY && console.log('console:', m.text()));
  page.on('requestfailed', (r) => process.env.DEBUG_DURABILITY && console.log('failed:', r.url(), r.failure()?.errorText));
  await page.goto(`${site.origin}/npm?${query}`, { waitUntil });
  await page.waitForFunction(() => (window as any).tp);
  return { page, id: await page.evaluate(() => (window as any).tp.anonymousId as string) };
};
/** Rows at the server whose name starts with `prefix `: total and distinct. */
const count = async (server: TestServer, id: string, prefix: string) => {
  const names = (await storedEvents(server, id)).map((e) => e.name).filter((n): n is string => !!n?.startsWith(`${prefix} `));
  return { total: names.length, unique: new Set(names).size };
};
const named = async (server: TestServer, id: string, name: string) => (await storedEvents(server, id)).filter((e) => e.name === name);
const settle = (page: Page) => page.evaluate(() => (window as any).tp.flush());
/** Items in the page's IndexedDB outbox. */
const idbCount = (page: Page) =>
  page.evaluate(
    async () =>
      // Never the first to open it: a database made here would have no stores for the SDK.
      !(await indexedDB.databases()).some((d) => d.name === 'touchpoint')
        ? -1
        : new Promise<number>((r) => {
        const req = indexedDB.open('touchpoint');
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains('outbox:v2')) return r(-1), db.close();
          // One record per write, holding its items.
          const c = db.transaction('outbox:v2').objectStore('outbox:v2').getAll();
          c.onsuccess = () => (r((c.result as { items: unknown[] }[]).reduce((n, x) => n + x.items.length, 0)), db.close());
        };
        req.onerror = () => r(-1);
      }),
  );

test.describe('durability: nothing lost when the browser misbehaves', () => {
  test('100 calls made at page load, then the tab closed at once: more than one keepalive request holds, the rest is spilled and sent by the next tab', async ({ context, server }) => {
    const { page, id } = await open(context, 'track=100&prefix=Closed&pad=300');
    await page.close({ runBeforeUnload: true });
    const next = await context.newPage();
    await next.goto(`${site.origin}/npm`);
    await expect.poll(() => count(server, id, 'Closed'), { timeout: 20_000 }).toEqual({ total: 100, unique: 100 });
  });

  test('ten 9 KB events, then the tab closed at once: all ten arrive', async ({ context, server }) => {
    const { page, id } = await open(context, 'track=10&prefix=Heavy&pad=9000');
    await page.close({ runBeforeUnload: true });
    const next = await context.newPage();
    await next.goto(`${site.origin}/npm`);
    await expect.poll(() => count(server, id, 'Heavy'), { timeout: 20_000 }).toEqual({ total: 10, unique: 10 });
  });

  test('ten 9 KB events, the tab closed while another tab of the site is open: the open tab takes back the spill and sends all ten', async ({ context, server }) => {
    // The open tab read the spill keys before this one spilled: it must not wait for some later page load.
    const other = await open(context, '', undefined, 'load');
    await other.page.evaluate(() => (window as any).tp.ready());
    const { page, id } = await open(context, 'track=10&prefix=Beside&pad=9000', await context.newPage());
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => count(server, id, 'Beside'), { timeout: 20_000 }).toEqual({ total: 10, unique: 10 });
  });

  test('events tracked on an open outbox, the tab closed before their deferred write and with every send failing: spilled as the page hides, sent once by the next tab', async ({ context, server }) => {
    // Writes wait for an idle slot (issue #21): what is put meanwhile must not depend on the keepalive request alone.
    proxy.fault = (r) => (isBatch(r) ? 'reset' : undefined);
    const { page, id } = await open(context, '', undefined, 'load');
    await page.evaluate(() => (window as any).tp.ready());
    await page.evaluate(() => {
      for (let i = 0; i < 30; i++) (window as any).tp.track(`Window ${i}`);
    });
    await page.close({ runBeforeUnload: true });
    proxy.fault = () => undefined;
    const next = await context.newPage();
    await next.goto(`${site.origin}/npm`);
    await expect.poll(() => count(server, id, 'Window'), { timeout: 20_000 }).toEqual({ total: 30, unique: 30 });
  });

  test('events put while every send fails, the page never hidden: in IndexedDB by the first idle slot (its 1 s deadline), not at some later flush or hide, and sent once by the next tab', async ({ context, server }) => {
    // The window in which only memory holds an event is the page's busy time plus one idle slot: a tab killed
    // after it (no pagehide, no spill; a renderer crash takes this test's browser down with it) loses nothing.
    proxy.fault = (r) => (isBatch(r) ? 'reset' : undefined);
    const { page, id } = await open(context, 'track=20&prefix=Idle', undefined, 'load');
    await expect.poll(() => idbCount(page), { timeout: 5_000 }).toBe(20);
    await page.close();
    proxy.fault = () => undefined;
    const next = await context.newPage();
    await next.goto(`${site.origin}/npm`);
    await expect.poll(() => count(server, id, 'Idle'), { timeout: 20_000 }).toEqual({ total: 20, unique: 20 });
  });

  test('a storage quota too small for the outbox: every event arrives while the page is open, and one diagnostic says why', async ({ context, server }) => {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: site.origin, quotaSize: 150 * 1024 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Held until their write has failed (400 KB do not fit in 150 KB): writes wait for an idle slot, and an event
    // acknowledged before its write is never written (lifting the fault at once raced that slot, 1 run in 4).
    await page.addInitScript(() => {
      let tp: any;
      Object.defineProperty(window, 'tp', {
        get: () => tp,
        set: (v) => ((tp = v), v.on('event', (e: { event?: string }) => e.event === 'Touchpoint Storage Failed' && ((window as any).storageFailed = true))),
      });
    });
    proxy.fault = (r) => (isBatch(r) ? 'reset' : undefined);
    const { id } = await open(context, 'track=100&prefix=Quota&pad=4000', page);
    await page.waitForFunction(() => (window as any).storageFailed, undefined, { timeout: 10_000 });
    proxy.fault = () => undefined;
    await settle(page);
    await expect.poll(() => count(server, id, 'Quota'), { timeout: 25_000 }).toEqual({ total: 100, unique: 100 });
    // Paced as a visitor would click: the burst of 100 is spent, the SDK's bucket refills at 10 a second.
    await page.evaluate(async () => {
      for (let i = 0; i < 10; i++) {
        (window as any).tp.track(`Quota small ${i}`);
        await new Promise((r) => setTimeout(r, 110));
      }
    });
    await expect.poll(() => count(server, id, 'Quota small'), { timeout: 20_000 }).toEqual({ total: 10, unique: 10 });
    expect(await named(server, id, 'Touchpoint Storage Failed')).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  test('no quota at all when IndexedDB opens: events still arrive, nothing thrown', async ({ context, server }) => {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: site.origin, quotaSize: 0 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const { id } = await open(context, 'track=20&prefix=No quota', page);
    await expect.poll(() => count(server, id, 'No quota'), { timeout: 20_000 }).toEqual({ total: 20, unique: 20 });
    expect(errors).toEqual([]);
  });

  test('the database deleted mid-session while offline: the page writes its events again and sends them once back online', async ({ context, server }) => {
    proxy.fault = (r) => (isBatch(r) ? 'reset' : undefined);
    const { page, id } = await open(context, 'track=30&prefix=Deleted');
    await expect.poll(() => idbCount(page)).toBe(30);
    await page.evaluate(() => new Promise((r) => (indexedDB.deleteDatabase('touchpoint').onsuccess = r)));
    proxy.fault = () => undefined;
    await settle(page);
    await expect.poll(() => count(server, id, 'Deleted'), { timeout: 20_000 }).toEqual({ total: 30, unique: 30 });
  });

  test('1,000 events over the cap while offline, over ten page loads: the newest arrive, and the evicted count reaching the server is exact', async ({ context, server }) => {
    test.setTimeout(60_000);
    proxy.fault = (r) => (isBatch(r) ? 'reset' : undefined);
    const page = await context.newPage();
    let id = '';
    for (let round = 0; round < 10; round++) {
      // 100 calls a page (the SDK's burst limit), each page's kept in the outbox before the next load.
      ({ id } = await open(context, `track=100&prefix=Over%20${round}&cap=60000`, page, 'load'));
      await settle(page);
    }
    proxy.fault = () => undefined;
    await settle(page);
    const stored = async () => (await storedEvents(server, id)).filter((e) => e.name?.startsWith('Over '));
    const evicted = async () => (await named(server, id, 'Touchpoint Outbox Evicted')).reduce((n, e) => n + Number(e.payload.properties.count), 0);
    await expect.poll(async () => (await stored()).length + (await evicted()), { timeout: 20_000 }).toBe(1_000);
    const rows = await stored();
    expect(new Set(rows.map((e) => e.payload.messageId)).size).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(0);
    // Oldest first: what arrived is exactly the newest of the 1,000.
    const order = rows.map((e) => e.name!.split(' ').slice(1).map(Number)).map(([r, i]) => r! * 100 + i!).sort((a, b) => a - b);
    expect(order).toEqual(Array.from({ length: rows.length }, (_, k) => 1_000 - rows.length + k));
    expect(await evicted()).toBeGreaterThan(0);
  });

  test('a batch the server fails on for one item (5xx) is split, and every other event arrives', async ({ context, server }) => {
    proxy.fault = (r) => (isBatch(r) && r.text.includes('POISON') ? { status: 500 } : undefined);
    const { page, id } = await open(context, '');
    await page.evaluate(() => {
      for (let i = 0; i < 20; i++) (window as any).tp.track(`Poison ${i}`, i === 7 ? { marker: 'POISON' } : {});
    });
    await expect.poll(() => count(server, id, 'Poison'), { timeout: 25_000 }).toEqual({ total: 19, unique: 19 });
    expect((await storedEvents(server, id)).some((e) => e.name === 'Poison 7')).toBe(false);
  });

  test('replay in buffer mode, across a navigation, then an error: every chunk uploaded, no gap, oldest first', async ({ context, server }) => {
    const page = await context.newPage();
    await page.goto(`${site.origin}/tag/1`);
    // The first chunk is cut (every 5 s) while the visitor reads and types on page 1.
    await page.getByLabel('Field').pressSequentially('hello');
    await expect.poll(() => page.evaluate(() => JSON.parse(sessionStorage.getItem('tp:v1:replay-seq') ?? '{"n":0}').n as number), { timeout: 15_000 }).toBeGreaterThan(0);
    // The click that navigates is in the chunk being built as page 1 goes away.
    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL(/\/tag\/2$/);
    await page.waitForFunction(() => (window as any).touchpoint?.sessionId);
    const sessionId = await page.evaluate(() => (window as any).touchpoint.sessionId as string);
    await page.getByRole('button', { name: 'Boom' }).click();
    const seqs = async () => (await server.store.query<{ seq: number }>('SELECT seq FROM replay_chunks WHERE session_id = $1 ORDER BY seq', [sessionId])).rows.map((r) => r.seq);
    await expect.poll(async () => (await seqs()).length >= 3, { timeout: 20_000 }).toBe(true);
    const stored = await seqs();
    expect(stored).toEqual(stored.map((_, i) => i)); // 0, 1, 2…: no gap
    const uploaded = proxy.seen.filter((r) => r.path.startsWith('/v1/replay') && r.path.includes(sessionId) && r.outcome === 200).map((r) => Number(new URL(r.path, 'http://x').searchParams.get('seq')));
    expect(uploaded).toEqual([...uploaded].sort((a, b) => a - b)); // oldest first
  });

  test('a server shutting down answers 503 with Retry-After; the events wait and arrive once at the next instance', async ({ context }) => {
    const root = resolve(import.meta.dirname, '../..');
    const store = await openStore({});
    // The load balancer's pings below keep the closing instance answering 503 until the page's flush has met one: a grace of
    // 1 s (the default) could end before a loaded machine's page sent it, and the test would see a refused connection instead.
    const listen = async (shutdownGraceMs?: number) => {
      const app = await buildApp({ store, statics: serverStatics(root), rateLimit: { perSecond: 0, burst: 0 }, deliveries: false, retention: false, ...(shutdownGraceMs && { shutdownGraceMs }) });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const a = app.server.address();
      return { app, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}` };
    };
    const first = await listen(30_000);
    await first.app.deps.sites.ensure(SITE, 'Durability site', [site.origin]);
    proxy.target = first.url;
    const server = { store } as TestServer;
    try {
      const { page, id } = await open(context, 'track=5&prefix=Shutdown');
      await expect.poll(() => count(server, id, 'Shutdown'), { timeout: 20_000 }).toEqual({ total: 5, unique: 5 });
      // SIGTERM, with a load balancer still routing requests here for a moment.
      const closing = first.app.close();
      const lb = setInterval(() => void fetch(`${first.url}/healthz`).catch(() => {}), 40);
      await page.evaluate(() => {
        for (let i = 5; i < 10; i++) (window as any).tp.track(`Shutdown ${i}`);
        void (window as any).tp.flush();
      });
      await expect.poll(() => proxy.seen.some((r) => isBatch(r) && r.outcome === 503)).toBe(true);
      clearInterval(lb);
      await closing;
      const second = await listen();
      proxy.target = second.url;
      await settle(page);
      await expect.poll(() => count(server, id, 'Shutdown'), { timeout: 20_000 }).toEqual({ total: 10, unique: 10 });
      await second.app.close();
    } finally {
      await store.close();
    }
  });
});
