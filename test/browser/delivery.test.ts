import { beforeEach, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { createTouchpoint } from '../../src/index.js';
import type { Touchpoint } from '../../src/types.js';
import { until } from '../support/until.js';
import { createDelivery } from '../../src/core/delivery.js';
import { itemOf } from '../../src/core/item-of.js';
import { memoryOutbox, type Outbox } from '../../src/core/outbox.js';
import { uuidv7 } from '../../src/lib/uuidv7.js';


const instances: Touchpoint[] = [];
const make = async (consent: 'opt-in' | 'opt-out' | 'none' = 'none') => {
  const tp = createTouchpoint({ siteKey: 'demo', endpoint: await commands.serverUrl(), consent: { mode: consent }, autocapture: false, flushInterval: 50 });
  instances.push(tp);
  await tp.ready();
  return tp;
};

/**
 * How many records of the SDK's IndexedDB name this visitor. Not whether the
 * database exists: the browser project's other files run beside this one on
 * the same origin, and their instances (and this file's earlier ones, never
 * stopped) open it too. Never creates it: an open that would make it is aborted.
 */
const storedRecordsOf = async (anonymousId: string): Promise<number> => {
  if (!(await indexedDB.databases()).some((d) => d.name === 'touchpoint')) return 0;
  const db = await new Promise<IDBDatabase | undefined>((ok, no) => {
    const r = indexedDB.open('touchpoint');
    r.onupgradeneeded = () => r.transaction?.abort();
    r.onsuccess = () => ok(r.result);
    r.onerror = () => (r.error?.name === 'AbortError' ? ok(undefined) : no(r.error));
  });
  if (!db) return 0;
  try {
    let n = 0;
    for (const name of Array.from(db.objectStoreNames)) {
      const all = await new Promise<unknown[]>((ok, no) => {
        const r = db.transaction(name).objectStore(name).getAll();
        r.onsuccess = () => ok(r.result);
        r.onerror = () => no(r.error);
      });
      n += all.filter((x) => JSON.stringify(x).includes(anonymousId)).length;
    }
    return n;
  } finally {
    db.close();
  }
};

beforeEach(async () => {
  localStorage.clear();
  sessionStorage.clear();
  await new Promise<void>((r) => {
    const req = indexedDB.deleteDatabase('touchpoint');
    req.onsuccess = req.onerror = req.onblocked = () => r();
  });
});

describe('delivery to the real reference server', () => {
  it('delivers every tracked event exactly once', async () => {
    const tp = await make();
    for (let i = 0; i < 20; i++) tp.track('Step', { i });
    await tp.flush();
    await until(async () => (await commands.storedItems(tp.anonymousId)).events.length >= 20);
    const { events } = await commands.storedItems(tp.anonymousId);
    expect(events).toHaveLength(20);
    expect(new Set(events.map((e) => e.message_id)).size).toBe(20);
  });

  it('keeps events through server errors and Retry-After, then delivers them once', async () => {
    const tp = await make();
    await commands.failNextBatches(2, 503);
    tp.track('During outage');
    await until(async () => (await commands.storedItems(tp.anonymousId)).events.length === 1, 15_000);
    await commands.failNextBatches(1, 429, 1);
    tp.track('While limited');
    await until(async () => (await commands.storedItems(tp.anonymousId)).events.length === 2, 15_000);
    const names = (await commands.storedItems(tp.anonymousId)).events.map((e) => e.name);
    expect(names).toEqual(['During outage', 'While limited']);
  });

  it('in opt-in mode stores and sends nothing before consent, then delivers the buffered events with their original time', async () => {
    const tp = await make('opt-in');
    tp.track('Before consent');
    const madeAt = Date.now();
    // A flush resolves once the queue is built and the outbox drained: whatever would have been stored or sent has been.
    await tp.flush();
    expect(Object.keys(localStorage).filter((k) => k.startsWith('tp:'))).toEqual([]);
    expect(await storedRecordsOf(tp.anonymousId)).toBe(0);
    expect((await commands.storedItems(tp.anonymousId)).events).toHaveLength(0);

    tp.consent.set({ analytics: true }, 'banner');
    await until(async () => (await commands.storedItems(tp.anonymousId)).events.length === 1);
    const { events, consent } = await commands.storedItems(tp.anonymousId);
    expect(Math.abs(Date.parse(events[0]!.original_timestamp) - madeAt)).toBeLessThan(1_000);
    expect(consent).toHaveLength(1);
    expect(consent[0]).toMatchObject({ method: 'banner', categories: { analytics: true } });
  });

  it('in opt-in mode, a refusal sends only the consent record and drops the events', async () => {
    const tp = await make('opt-in');
    tp.track('Never sent');
    tp.consent.denyAll('banner');
    await until(async () => (await commands.storedItems(tp.anonymousId)).consent.length === 1);
    tp.track('Still never sent');
    await tp.flush();
    expect((await commands.storedItems(tp.anonymousId)).events).toHaveLength(0);
    expect(Object.keys(localStorage).filter((k) => k.startsWith('tp:') && k !== 'tp:v1:consent')).toEqual([]);
  });

  it('never throws into the page, whatever it is given', async () => {
    const tp = await make();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => tp.track('Circular', circular)).not.toThrow();
    expect(() => (tp.track as (...a: unknown[]) => void)(undefined, 5)).not.toThrow();
    expect(() => tp.identify(null as unknown as string)).not.toThrow();
    await expect(tp.flush()).resolves.toBeUndefined();
  });

  it("takes a burst of calls without doing their work in the caller's task, and delivers each once, in call order", async () => {
    const tp = await make();
    // The session as an earlier page left it, five minutes ago.
    const session = JSON.stringify({ ...JSON.parse(localStorage.getItem('tp:v1:session')!), last: Date.now() - 300_000 });
    localStorage.setItem('tp:v1:session', session);
    for (let i = 0; i < 100; i++) tp.track(`Burst ${i}`);
    // The calls were only queued (a timestamp and a push each): no context built, no storage touched yet.
    expect(localStorage.getItem('tp:v1:session')).toBe(session);
    await tp.flush();
    await until(async () => (await commands.storedItems(tp.anonymousId)).events.length >= 100);
    const { events } = await commands.storedItems(tp.anonymousId);
    expect(events.map((e) => e.name)).toEqual(Array.from({ length: 100 }, (_, i) => `Burst ${i}`));
    expect(new Set(events.map((e) => e.message_id)).size).toBe(100);
  });

  it('builds a burst a slice at a time while the page is visible, and all at once while it is hidden', async () => {
    // Sizes of the runs of events built together, with no microtask between them: one run is one slice.
    const slices = async (tp: Touchpoint) => {
      const runs: number[] = [];
      let open = false;
      tp.on('event', () => {
        if (!open) {
          open = true;
          runs.push(0);
          queueMicrotask(() => (open = false));
        }
        runs[runs.length - 1]!++;
      });
      for (let i = 0; i < 100; i++) tp.track(`Burst ${i}`);
      await tp.flush();
      return runs;
    };
    const visible = await slices(await make());
    expect(visible.reduce((a, b) => a + b)).toBe(100);
    // ≤ 20 calls (or 8 ms) a slice: at least five.
    expect(visible.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...visible)).toBeLessThanOrEqual(20);
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    try {
      expect(await slices(await make())).toEqual([100]);
    } finally {
      delete (document as { hidden?: boolean }).hidden;
    }
  });

  it('cuts a runaway loop at the call: of 10,000 calls in a row, about the burst of 100 is kept', async () => {
    const tp = await make();
    let seen = 0;
    tp.on('event', () => seen++);
    for (let i = 0; i < 10_000; i++) tp.track('Runaway');
    await tp.flush();
    // 100, plus the 10 a second the bucket refills while a slow machine runs the loop.
    expect(seen).toBeGreaterThanOrEqual(100);
    expect(seen).toBeLessThanOrEqual(105);
  });

  it('keeps the anonymous id across page loads when no consent is needed', async () => {
    const first = await make();
    const id = first.anonymousId;
    const again = await make(); // the next page load: a new instance reading the same storage
    expect(again.anonymousId).toBe(id);
  });

  it('sends each identify as the user it names, also when the user changes', async () => {
    const tp = await make();
    tp.identify('ada');
    tp.identify('grace');
    tp.track('After switch');
    await tp.flush();
    await until(async () => (await commands.storedItems(tp.anonymousId)).events.length >= 3);
    const { events } = await commands.storedItems(tp.anonymousId);
    expect(events.map((e) => [e.type, e.user_id])).toEqual([
      ['identify', 'ada'],
      ['identify', 'grace'],
      ['track', 'grace'],
    ]);
  });

  it('at reset() delivers the calls made before it as the user who made them', async () => {
    const tp = await make();
    tp.identify('ada');
    tp.track('Signed Out');
    const before = tp.anonymousId;
    await tp.reset();
    tp.track('Anonymous again');
    await tp.flush();
    await until(async () => (await commands.storedItems(before)).events.length >= 2 && (await commands.storedItems(tp.anonymousId)).events.length >= 1);
    expect((await commands.storedItems(before)).events.map((e) => [e.name, e.user_id])).toEqual([
      [null, 'ada'],
      ['Signed Out', 'ada'],
    ]);
    expect((await commands.storedItems(tp.anonymousId)).events.map((e) => [e.name, e.user_id])).toEqual([['Anonymous again', null]]);
  });

  it('gives the session of a call made just before reading sessionId', async () => {
    const tp = await make();
    await tp.reset(); // ends the session: the next call starts one
    expect(tp.sessionId).toBeUndefined();
    tp.track('Starts a session');
    const id = tp.sessionId;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await tp.flush();
    await until(async () => (await commands.storedItems(tp.anonymousId)).events.length >= 1);
    expect((await commands.storedItems(tp.anonymousId)).events[0]!.session_id).toBe(id);
  });

  it('reset() rotates the anonymous id and forgets the user', async () => {
    const tp = await make();
    tp.identify('user-7', { plan: 'pro' });
    const before = tp.anonymousId;
    await tp.reset();
    expect(tp.anonymousId).not.toBe(before);
    expect(localStorage.getItem('tp:v1:user')).toBeNull();
  });
});

describe('createDelivery', () => {
  it('flush() called while a drain is past its last read resolves after a drain that sends what came since', async () => {
    const anonymousId = uuidv7();
    const event = (name: string) => {
      const id = uuidv7();
      return itemOf('batch', { type: 'track', event: name, properties: {}, messageId: id, anonymousId, timestamp: new Date().toISOString() }, id);
    };
    const mem = memoryOutbox(1e7);
    // The running drain's removal of what it sent waits until released: by then it has read the outbox for the last time.
    let removing!: () => void;
    const reached = new Promise<void>((r) => (removing = r));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let first = true;
    const outbox: Outbox = {
      ...mem,
      remove: async (ids) => {
        if (first) {
          first = false;
          removing();
          await held;
        }
        return mem.remove(ids);
      },
    };
    const delivery = createDelivery({ url: `${await commands.serverUrl()}/v1/batch?site=demo`, outbox: async () => outbox, outboxNow: () => outbox, onResult: () => {}, onRemove: () => {}, report: () => event('unused') });
    await mem.put([event('Before')]);
    const running = delivery.flush();
    await reached;
    await mem.put([event('While the drain ends')]);
    const flushed = delivery.flush();
    release();
    await running;
    await flushed;
    // Before: the second flush() was the running drain's promise, and 'While the drain ends' waited for some later timer.
    expect((await commands.storedItems(anonymousId)).events.map((e) => e.name).sort()).toEqual(['Before', 'While the drain ends']);
  });
});
