import { afterEach, describe, expect, it } from 'vitest';
import { idbOutbox, openOutbox } from '../../src/core/idb-outbox.js';
import { memoryOutbox, type Outbox } from '../../src/core/outbox.js';
import { until } from '../support/until.js';
import { transactions } from '../support/idb-transactions.js';

const item = (i: number, bytes = 100) => ({ id: `0000-${String(i).padStart(6, '0')}`, kind: 'batch' as const, body: { i }, bytes });
const bodies = async (o: Outbox) => (await o.peek(100, 1e9)).map((x) => (x.body as { i: number }).i);

const contract = (name: string, make: (cap: number) => Promise<Outbox>) =>
  describe(name, () => {
    it('returns items oldest first within the item and byte limits', async () => {
      const o = await make(1e6);
      for (let i = 0; i < 5; i++) await o.put([item(i)]);
      expect((await o.peek(3, 1e6)).map((x) => (x.body as { i: number }).i)).toEqual([0, 1, 2]);
      expect(await o.peek(10, 250)).toHaveLength(2);
      expect(await o.peek(10, 1)).toHaveLength(1); // always at least one
    });
    it('evicts the oldest items when over its byte cap, and reports their exact count, a report at a time', async () => {
      const o = await make(350);
      for (let i = 0; i < 6; i++) await o.put([item(i)]);
      expect(await bodies(o)).toEqual([3, 4, 5]);
      // The report is fixed when made (the first eviction): what goes later waits for the next one.
      const [id, count] = o.evicted()!;
      expect(count).toBe(1);
      // Not acknowledged yet: the same report, same id, however often it is read (a retry is deduped by the server).
      await o.peek(10, 1e6);
      expect(o.evicted()).toEqual([id, 1]);
      await o.remove([id]);
      await o.peek(10, 1e6);
      const [next, rest] = o.evicted()!;
      expect(next).not.toBe(id);
      expect(rest).toBe(2);
      await o.remove([next]);
      await o.peek(10, 1e6);
      expect(o.evicted()).toBeUndefined();
    });
    it('counts evictions made while a report waits in the next report, never in the one already sent', async () => {
      const o = await make(250);
      for (let i = 0; i < 3; i++) await o.put([item(i)]); // one evicted
      await o.peek(10, 1e6);
      const first = o.evicted()!;
      expect(first[1]).toBe(1);
      await o.put([item(3)]); // one more while the first report is in flight
      await o.peek(10, 1e6);
      expect(o.evicted()).toEqual(first);
      await o.remove([first[0]]);
      await o.peek(10, 1e6);
      const next = o.evicted()!;
      expect(next[0]).not.toBe(first[0]);
      expect(next[1]).toBe(1);
    });
    it('removes acknowledged items, ignoring ids already gone', async () => {
      const o = await make(1e6);
      for (let i = 0; i < 3; i++) await o.put([item(i)]);
      await o.remove([item(0).id, item(1).id, 'unknown']);
      expect((await o.peek(10, 1e6)).map((x) => x.id)).toEqual([item(2).id]);
      await o.remove([item(2).id]);
      expect(await o.peek(10, 1e6)).toEqual([]);
      // The byte count follows: a full cap is available again.
      await o.put([{ ...item(3), bytes: 1e6 }]);
      await o.peek(10, 1e6);
      expect(o.evicted()).toBeUndefined();
    });
    it('evicts older items for a burst, never the burst itself', async () => {
      const o = await make(350);
      await o.put([item(0), item(1)]);
      await o.put([item(2), item(3), item(4), item(5)]); // 400 B alone: over the cap, yet kept whole
      expect(await bodies(o)).toEqual([2, 3, 4, 5]);
      expect(o.evicted()?.[1]).toBe(2); // one eviction of two items: one report
    });
    it('keeps one copy of an item put twice, counted once', async () => {
      const o = await make(1e6);
      await o.put([item(0), item(1), item(2)]);
      await o.put([item(2), item(3)]);
      expect(await bodies(o)).toEqual([0, 1, 2, 3]);
      await o.remove([item(0).id, item(1).id, item(2).id, item(3).id]);
      await o.put([{ ...item(4), bytes: 1e6 }]); // the whole cap is free again
      await o.peek(10, 1e6);
      expect(o.evicted()).toBeUndefined();
    });
  });

let db = 0;
const fresh = () => `tp-test-${Date.now()}-${db++}`;
contract('the IndexedDB outbox', (cap) => idbOutbox(cap, fresh()));
contract('the memory outbox', async (cap) => memoryOutbox(cap));
contract('the guarded outbox, IndexedDB working', (cap) => openOutbox(cap, undefined, undefined, undefined, fresh()));

describe('the IndexedDB outbox across tabs', () => {
  it('keeps exact byte accounting when two connections share the database', async () => {
    const name = fresh();
    const a = await idbOutbox(250, name);
    const b = await idbOutbox(250, name);
    await a.put([item(1)]);
    await b.put([item(2)]);
    await a.put([item(3)]); // 300 B > 250 B: item 1 goes
    expect((await b.peek(10, 1e6)).map((x) => x.id)).toEqual([item(2).id, item(3).id]);
    expect(b.evicted()?.[1]).toBe(1);
  });
});

describe('the guarded outbox when storage fails', () => {
  const restore: (() => void)[] = [];
  afterEach(() => restore.splice(0).forEach((f) => f()));
  /** Makes every IndexedDB write of this page fail as a full disk does. */
  const quotaErrors = () => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    restore.push(() => (IDBObjectStore.prototype.put = put));
  };

  it('switches to its fallback at the first failed write, reports it once, and loses nothing of what the fallback holds', async () => {
    const mem = memoryOutbox(1e6);
    const failures: unknown[][] = [];
    const o = await openOutbox(1e6, mem, (_m, args) => failures.push(args), undefined, fresh());
    await mem.put([item(0)]);
    await o.put([item(0)]);
    expect(o.durable).toBe(true);
    expect(o.unwritten!([item(0)])).toEqual([]);
    quotaErrors();
    await mem.put([item(1), item(2)]);
    await expect(o.put([item(1), item(2)])).resolves.toBeUndefined();
    await o.put([item(3)]);
    expect(o.durable).toBe(false);
    expect(failures).toEqual([['Touchpoint Storage Failed', { error: 'QuotaExceededError' }]]);
    // Sending goes on from the fallback, which holds the page's items; now none counts as written.
    expect(await bodies(o)).toEqual([0, 1, 2, 3]);
    expect(o.unwritten!([item(0)])).toHaveLength(1);
  });

  it('falls back when IndexedDB cannot open at all', async () => {
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = () => {
      throw new DOMException('Storage is disabled.', 'InvalidStateError');
    };
    restore.push(() => (IDBFactory.prototype.open = open));
    const failures: unknown[][] = [];
    const o = await openOutbox(1e6, undefined, (_m, args) => failures.push(args), undefined, fresh());
    await o.put([item(0)]);
    expect(o.durable).toBe(false);
    expect(await bodies(o)).toEqual([0]);
    expect(failures).toEqual([['Touchpoint Storage Failed', { error: 'InvalidStateError' }]]);
  });

  it('writes the page’s items again when the database is deleted under it', async () => {
    const name = fresh();
    const mem = memoryOutbox(1e6);
    await mem.put([item(0), item(1)]);
    const o = await openOutbox(1e6, mem, undefined, undefined, name);
    expect(await bodies(o)).toEqual([0, 1]);
    await new Promise<void>((r, j) => {
      const req = indexedDB.deleteDatabase(name);
      req.onsuccess = () => r();
      req.onerror = () => j(req.error);
    });
    await until(async () => (await bodies(o)).length === 2);
    expect(await bodies(o)).toEqual([0, 1]);
    expect(o.durable).toBe(true);
  });

  it('takes back what pages left in localStorage as they went away, and clears it', async () => {
    localStorage.setItem('tp:v1:test-spill:a', JSON.stringify([item(0), item(1)]));
    localStorage.setItem('tp:v1:test-spill:b', JSON.stringify([item(1), item(2)]));
    const o = await openOutbox(1e6, undefined, undefined, 'test-spill', fresh());
    expect(await bodies(o)).toEqual([0, 1, 2]);
    expect(Object.keys(localStorage).filter((k) => k.startsWith('tp:v1:test-spill'))).toEqual([]);
  });

  it('keeps a spill when writing it back fails in a hidden page, for the next page to take; a visible page holds it in memory and clears it', async () => {
    // A closing tab still runs its open for a while, its writes failing: a spill it removed lived only in its memory.
    // A visible page spills what it holds again as it hides; keeping the key there would resend it from every page.
    const hidden = Object.getOwnPropertyDescriptor(Document.prototype, 'hidden')!;
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    restore.push(() => delete (document as { hidden?: boolean }).hidden);
    localStorage.setItem('tp:v1:test-spill:a', JSON.stringify([item(0), item(1)]));
    quotaErrors();
    const o = await openOutbox(1e6, undefined, undefined, 'test-spill', fresh());
    expect(o.durable).toBe(false);
    expect(await bodies(o)).toEqual([0, 1]);
    expect(JSON.parse(localStorage.getItem('tp:v1:test-spill:a')!)).toHaveLength(2);
    delete (document as { hidden?: boolean }).hidden;
    expect(hidden.get!.call(document)).toBe(false);
    const p = await openOutbox(1e6, undefined, undefined, 'test-spill', fresh());
    expect(p.durable).toBe(false);
    expect(await bodies(p)).toEqual([0, 1]);
    expect(localStorage.getItem('tp:v1:test-spill:a')).toBeNull();
  });

  it('leaves a spill the other tab wrote again while it was being taken back', async () => {
    // A tab closing hides twice (visibilitychange, then pagehide), the second spill holding what came in between.
    let taken = 0;
    await openOutbox(1e6, undefined, undefined, 'test-spill', fresh(), () => taken++);
    localStorage.setItem('tp:v1:test-spill:f', JSON.stringify([item(6)]));
    dispatchEvent(new StorageEvent('storage', { key: 'tp:v1:test-spill:f', newValue: localStorage.getItem('tp:v1:test-spill:f') }));
    // The take-back has read the key and waits for its write.
    localStorage.setItem('tp:v1:test-spill:f', JSON.stringify([item(6), item(7)]));
    await until(async () => taken === 1);
    expect(JSON.parse(localStorage.getItem('tp:v1:test-spill:f')!)).toHaveLength(2);
    localStorage.removeItem('tp:v1:test-spill:f');
  });

  it('takes back what another tab spills while it is open, and asks for a send, even for an empty spill', async () => {
    // That tab's spill lands after this page read the keys; an empty one says it wrote to IndexedDB instead.
    let taken = 0;
    const o = await openOutbox(1e6, undefined, undefined, 'test-spill', fresh(), () => taken++);
    const spill = (key: string, items: unknown[]) => {
      localStorage.setItem(key, JSON.stringify(items));
      // The storage event fires only in other documents: dispatched here as the other tab's write would.
      dispatchEvent(new StorageEvent('storage', { key, newValue: localStorage.getItem(key) }));
    };
    spill('tp:v1:test-spill:c', [item(3), item(4)]);
    await until(async () => taken === 1);
    expect(await bodies(o)).toEqual([3, 4]);
    expect(localStorage.getItem('tp:v1:test-spill:c')).toBeNull();
    spill('tp:v1:test-spill:d', []);
    await until(async () => taken === 2);
    // Not a spill, and a spill's removal: nothing to do (the next spill's count would say otherwise).
    dispatchEvent(new StorageEvent('storage', { key: 'tp:v1:other', newValue: '1' }));
    dispatchEvent(new StorageEvent('storage', { key: 'tp:v1:test-spill:d', newValue: null }));
    spill('tp:v1:test-spill:e', [item(5)]);
    await until(async () => (await bodies(o)).length === 3);
    expect(taken).toBe(3);
  });
});

/** Every item stored in a database, read without the SDK. */
const storedIn = (name: string) =>
  new Promise<{ stores: string[]; items: string[] }>((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const d = req.result;
      const all = d.transaction('outbox:v2').objectStore('outbox:v2').getAll();
      all.onsuccess = () => {
        resolve({ stores: [...d.objectStoreNames], items: (all.result as { items: { id: string }[] }[]).flatMap((r) => r.items.map((i) => i.id)) });
        d.close();
      };
    };
  });

/** The byte count the meta record holds. */
const storedBytes = (name: string) =>
  new Promise<number>((resolve, reject) => {
    const req = indexedDB.open(name);
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const d = req.result;
      const m = d.transaction('meta:v1').objectStore('meta:v1').get('m');
      m.onsuccess = () => {
        resolve((m.result as { bytes: number }).bytes);
        d.close();
      };
    };
  });

describe('the IndexedDB outbox layout', () => {
  it('keeps a write as one record, and removes part of one exactly', async () => {
    const name = fresh();
    const o = await idbOutbox(1e6, name);
    await o.put([item(0), item(1), item(2), item(3), item(4)]);
    await o.remove([item(1).id, item(3).id]);
    expect(await bodies(o)).toEqual([0, 2, 4]);
    await o.remove([item(0).id]);
    expect(await bodies(o)).toEqual([2, 4]);
    // The byte count follows the items removed from inside a record: the whole cap is free once they are gone.
    await o.remove([item(2).id, item(4).id]);
    await o.put([{ ...item(5), bytes: 1e6 }]);
    await o.peek(10, 1e6);
    expect(o.evicted()).toBeUndefined();
  });

  it('evicts from inside a record, oldest first', async () => {
    const o = await idbOutbox(450, fresh());
    await o.put([item(0), item(1), item(2), item(3)]);
    await o.put([item(4), item(5)]); // 600 B: the two oldest go
    expect(await bodies(o)).toEqual([2, 3, 4, 5]);
    expect(o.evicted()?.[1]).toBe(2);
  });

  it('moves the items an older SDK left (one record each, outbox:v1) into the new layout at upgrade, none lost, bytes still counted', async () => {
    const name = fresh();
    await new Promise<void>((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore('outbox:v1', { keyPath: 'id' });
        req.result.createObjectStore('meta:v1');
      };
      req.onsuccess = () => {
        const tx = req.result.transaction(['outbox:v1', 'meta:v1'], 'readwrite');
        for (let i = 0; i < 3; i++) tx.objectStore('outbox:v1').put(item(i));
        tx.objectStore('meta:v1').put({ bytes: 300, evicted: 0 }, 'm');
        tx.oncomplete = () => (req.result.close(), resolve());
        tx.onerror = () => reject(tx.error);
      };
    });
    const o = await idbOutbox(350, name);
    expect(await bodies(o)).toEqual([0, 1, 2]);
    await o.put([item(3)]); // 400 B > 350 B: the byte count came along, so the oldest goes
    expect(await bodies(o)).toEqual([1, 2, 3]);
    expect((await storedIn(name)).stores).not.toContain('outbox:v1');
  });
});

describe('the guarded outbox with deferred writes (the SDK’s: it spills what is unwritten as the page hides)', () => {
  const deferred = (name: string, mem = memoryOutbox(1e6)) => openOutbox(1e6, mem, undefined, 'test-deferred', name);
  /** As the SDK does: every item of the page in its memory outbox too, until acknowledged. */
  const both = (mem: Outbox, o: Outbox) => ({
    put: async (items: ReturnType<typeof item>[]) => (await mem.put(items), await o.put(items)),
    remove: async (ids: string[]) => (await mem.remove(ids), await o.remove(ids)),
  });

  it('writes everything put before an idle slot in one transaction, and peek sees it before', async () => {
    const name = fresh();
    const mem = memoryOutbox(1e6);
    const o = await deferred(name, mem);
    const counted = await transactions(async () => {
      for (let i = 0; i < 5; i++) await both(mem, o).put([item(i)]);
      expect(await bodies(o)).toEqual([0, 1, 2, 3, 4]);
      // All five wait for the write (asked about two, it names every item it holds unwritten).
      expect(o.unwritten!([item(0), item(4)])).toHaveLength(5);
      await until(() => o.unwritten!([item(0), item(4)]).length === 0);
    });
    // The one write, and the peek (read-only).
    expect(counted).toEqual({ all: 2, rw: 1 });
    expect((await storedIn(name)).items).toEqual([0, 1, 2, 3, 4].map((i) => item(i).id));
  });

  it('counts among the unwritten what its memory evicted before the write: spilled as the page hides, not lost', async () => {
    const name = fresh();
    // The SDK's memory outbox has the same cap as IndexedDB, and drops its oldest silently
    // (evictions are counted where items are stored): 6 items of 100 B, 3 kept.
    const mem = memoryOutbox(350);
    const o = await openOutbox(350, mem, undefined, 'test-deferred', name);
    for (let i = 0; i < 6; i++) await both(mem, o).put([item(i)]);
    expect(await bodies(mem)).toEqual([3, 4, 5]);
    // The page hides before the idle slot: what it spills is every item not in IndexedDB yet.
    const spilled = o.unwritten!(await mem.peek(Infinity, Infinity));
    expect(spilled.map((x) => (x.body as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5]);
    await o.commit();
    expect(o.unwritten!(await mem.peek(Infinity, Infinity))).toEqual([]);
  });

  it('never writes an item acknowledged before its write', async () => {
    const name = fresh();
    const mem = memoryOutbox(1e6);
    const o = await deferred(name, mem);
    await both(mem, o).put([item(0), item(1)]);
    await both(mem, o).remove([item(0).id]);
    await o.commit();
    expect((await storedIn(name)).items).toEqual([item(1).id]);
    expect(await bodies(o)).toEqual([1]);
  });

  it('reads back none of what the page wrote itself: its peeks read the records of other pages and tabs only', async () => {
    const name = fresh();
    const mem = memoryOutbox(1e6);
    const o = await deferred(name, mem);
    const other = await idbOutbox(1e6, name);
    await other.put([item(0)]); // another tab's
    await both(mem, o).put([item(1), item(2)]);
    await o.commit();
    const reads: string[] = [];
    const [get, getAll] = [IDBObjectStore.prototype.get, IDBObjectStore.prototype.getAll];
    IDBObjectStore.prototype.get = function (this: IDBObjectStore, k: IDBValidKey) {
      reads.push(`${this.name} ${String(k)}`);
      return get.call(this, k);
    };
    IDBObjectStore.prototype.getAll = function (this: IDBObjectStore, ...a: Parameters<typeof getAll>) {
      reads.push(`${this.name} all`);
      return getAll.apply(this, a);
    };
    try {
      expect(await bodies(o)).toEqual([0, 1, 2]);
    } finally {
      Object.assign(IDBObjectStore.prototype, { get, getAll });
    }
    expect(reads).toEqual(['meta:v1 m', `outbox:v2 ${item(0).id}`]);
    // Sent and acknowledged: gone from IndexedDB too.
    await both(mem, o).remove([item(0).id, item(1).id, item(2).id]);
    expect((await storedIn(name)).items).toEqual([]);
  });

  it('writes at once on a hidden page (its idle slots may never come)', async () => {
    const name = fresh();
    const mem = memoryOutbox(1e6);
    const o = await deferred(name, mem);
    const hidden = Object.getOwnPropertyDescriptor(Document.prototype, 'hidden')!;
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    try {
      await both(mem, o).put([item(0)]);
    } finally {
      Object.defineProperty(document, 'hidden', hidden);
      delete (document as { hidden?: boolean }).hidden;
    }
    expect(o.unwritten!([item(0)])).toEqual([]);
    expect((await storedIn(name)).items).toEqual([item(0).id]);
  });

  it('a failed deferred write leaves the items in the fallback, sent from there', async () => {
    const mem = memoryOutbox(1e6);
    const o = await deferred(fresh(), mem);
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    try {
      await both(mem, o).put([item(0), item(1)]);
      await o.commit();
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    expect(o.durable).toBe(false);
    expect(await bodies(mem)).toEqual([0, 1]);
    expect(await bodies(o)).toEqual([0, 1]);
  });

  it('removes a record it wrote but another tab cut into by reading it (its memory of the record is stale)', async () => {
    const name = fresh();
    const mem = memoryOutbox(1e6);
    const o = await deferred(name, mem);
    await both(mem, o).put([item(0), item(1), item(2)]);
    await o.commit();
    const other = await idbOutbox(1e6, name);
    await other.peek(10, 1e6);
    await other.remove([item(1).id]); // another tab sent item 1
    await both(mem, o).remove([item(0).id, item(2).id]);
    expect((await storedIn(name)).items).toEqual([]);
    expect(await storedBytes(name)).toBe(0);
  });

  it('takes back what several pages spilled in one write, then clears their keys', async () => {
    localStorage.setItem('tp:v1:test-deferred:a', JSON.stringify([item(0), item(1)]));
    localStorage.setItem('tp:v1:test-deferred:b', JSON.stringify([item(1), item(2)]));
    const name = fresh();
    let o: Outbox | undefined;
    const counted = await transactions(async () => (o = await deferred(name)));
    expect(counted.rw).toBe(1);
    expect((await storedIn(name)).items).toEqual([0, 1, 2].map((i) => item(i).id));
    expect(await bodies(o!)).toEqual([0, 1, 2]);
    expect(Object.keys(localStorage).filter((k) => k.startsWith('tp:v1:test-deferred'))).toEqual([]);
  });
});
