import { acked, evict, memoryOutbox, take, type EvictionReport, type Evictions, type Outbox, type OutboxItem } from './outbox.js';
import { KEYS } from '../lib/storage-keys.js';

// Its own module (and lazy chunk in the script-tag build): a page needs it only
// once storage is allowed. Plain IndexedDB, no wrapper library: fewer bytes, and
// no promise per request where nothing waits for the answer.

/** Until version 2 of the database: one record per item. Moved into ITEMS at upgrade. */
const V1 = KEYS.objectStore.itemsV1;
/** One record per write, holding all its items (one structured clone and one request per write, not one per item). */
const ITEMS = KEYS.objectStore.items;
const META = KEYS.objectStore.meta;

interface Meta extends Evictions {
  bytes: number;
}
/** A write's items, sorted by id. `id`: the smallest (FIFO order of records), `last`: the largest (indexed, to find overlaps). */
interface Rec {
  id: string;
  last: string;
  items: OutboxItem[];
}

/** Oldest first, each id once (sorts `items` in place). */
const flat = (items: OutboxItem[]) => items.sort((a, b) => (a.id < b.id ? -1 : 1)).filter((it, i, a) => it.id != a[i - 1]?.id);
const rec = (items: OutboxItem[]): Rec => {
  const s = flat([...items]);
  return { id: s[0]!.id, last: s.at(-1)!.id, items: s };
};
const sum = (items: OutboxItem[]) => items.reduce((n, i) => n + i.bytes, 0);
const ask = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((ok, no) => {
    r.onsuccess = () => ok(r.result);
    r.onerror = () => no(r.error);
  });
/** Requests are not awaited one by one (a round trip each); a failed one aborts the transaction, which this reports. */
const done = (tx: IDBTransaction) =>
  new Promise<void>((ok, no) => {
    tx.oncomplete = () => ok();
    tx.onabort = tx.onerror = () => no(tx.error ?? new DOMException('Aborted', 'AbortError'));
  });
const quiet = () => {};

/**
 * What `openOutbox` uses beyond the contract: `put(items, true)` marks the
 * record as this page's own (its items are in the page's memory too), and
 * `peek(n, b, true)` skips own records — no read-back of what the page just
 * wrote — unless an eviction cut into them (`mixed`: then memory no longer
 * mirrors what was written, and peeks read everything).
 */
type Inner = Omit<Outbox, 'put' | 'peek'> & {
  put(items: OutboxItem[], mine?: boolean): Promise<void>;
  peek(maxItems: number, maxBytes: number, others?: boolean): Promise<OutboxItem[]>;
  readonly mixed: boolean;
};

/**
 * The IndexedDB outbox. Byte accounting and the eviction report live in a
 * meta record updated in the same transaction as each write, so several tabs
 * sharing the database keep them exact without talking to each other. Each
 * put is one transaction and, in the common case, four requests however many
 * items it holds.
 * `onLost`: the database was deleted or closed under us (the user cleared
 * site data, another tab deleted it); the next use reopens it, empty.
 */
export const idbOutbox = async (capBytes: number, name: string = KEYS.indexedDB.outbox, onLost?: () => void): Promise<Inner> => {
  let conn: Promise<IDBDatabase> | undefined;
  let report: EvictionReport | undefined;
  /** Keys of the records this connection wrote with `mine`, as written. */
  const own = new Set<string>();
  let mixed = false;
  const lost = () => {
    void conn?.then((d) => d.close(), quiet);
    conn = undefined;
    onLost?.();
  };
  const open = () =>
    (conn ??= new Promise<IDBDatabase>((ok, no) => {
      const r = indexedDB.open(name, 2);
      r.onupgradeneeded = (e) => {
        const d = r.result;
        d.createObjectStore(ITEMS, { keyPath: 'id' }).createIndex('last', 'last');
        if (!e.oldVersion) d.createObjectStore(META);
        else if (d.objectStoreNames.contains(V1))
          // An older SDK's items, one record each: moved as one record, in the
          // upgrade's own transaction (nothing queued is lost; the byte count stays right).
          r.transaction!.objectStore(V1).getAll().onsuccess = (g) => {
            const old = (g.target as IDBRequest<OutboxItem[]>).result;
            if (old.length) r.transaction!.objectStore(ITEMS).put(rec(old));
            d.deleteObjectStore(V1);
          };
      };
      r.onsuccess = () => {
        // Another tab upgrades or deletes the database: let go at once instead of blocking it.
        r.result.onversionchange = r.result.onclose = lost;
        ok(r.result);
      };
      r.onerror = () => no(r.error);
      // Some browsers (old Safari, Firefox private mode) leave open() pending forever.
      setTimeout(() => no(new Error('IndexedDB open timed out')), 3_000);
    }));
  await open();
  /** One transaction over both stores: `fn` gets them and the meta record, the result once committed. */
  const run = async <T>(mode: IDBTransactionMode, fn: (items: IDBObjectStore, m: Meta, meta: IDBObjectStore) => T | Promise<T>): Promise<T> => {
    const tx = (await open()).transaction([ITEMS, META], mode);
    const end = done(tx);
    end.catch(quiet);
    const meta = tx.objectStore(META);
    const m = ((await ask(meta.get('m'))) as Meta | undefined) ?? { bytes: 0, evicted: 0 };
    const out = await fn(tx.objectStore(ITEMS), m, meta);
    await end;
    return out;
  };

  return {
    durable: true,
    get mixed() {
      return mixed;
    },
    put: (add, mine) =>
      add.length
        ? run('readwrite', async (items, m, meta) => {
            const r = rec(add);
            // Putting an item twice (a spill taken back after its write did commit) keeps one, counted once:
            // the records that may hold one of these ids end at or after the smallest (none, for new items).
            const near = (await ask(items.index('last').getAll(IDBKeyRange.lowerBound(r.id)))) as Rec[];
            const known = new Set(near.filter((x) => x.id <= r.last).flatMap((x) => x.items.map((i) => i.id)));
            const fresh = r.items.filter((i) => !known.has(i.id));
            if (!fresh.length) return;
            m.bytes += sum(fresh);
            if (m.bytes > capBytes) {
              // Oldest first, never what this call adds (not written yet: the cursor cannot meet it).
              let n = 0;
              const walk = items.openCursor();
              for (let c = await ask(walk); c && m.bytes > capBytes; c.continue(), c = await ask(walk)) {
                const its = (c.value as Rec).items;
                let k = 0;
                while (k < its.length && m.bytes > capBytes) m.bytes -= its[k++]!.bytes;
                n += k;
                c.delete();
                mixed ||= own.delete(c.key as string);
                // Part of a record left: under its new smallest id, the key staying the smallest id held.
                if (k < its.length) items.put(rec(its.slice(k)));
              }
              if (n) evict(m, n);
            }
            const w = rec(fresh);
            items.put(w);
            if (mine) own.add(w.id);
            meta.put(m, 'm');
          })
        : Promise.resolve(),
    peek: (maxItems, maxBytes, others) =>
      // One transaction, two requests (the meta record, the records): no cursor walk per send.
      run('readonly', async (items, m) => {
        report = m.report;
        const n = maxItems < 1e9 ? maxItems : undefined;
        const recs = (
          others && !mixed
            ? // Keys only, then the values of the records that are not this page's (usually none).
              await Promise.all((await ask(items.getAllKeys(null, n))).filter((k) => !own.has(k as string)).map((k) => ask(items.get(k))))
            : await ask(items.getAll(null, n))
        ) as Rec[];
        return take(flat(recs.flatMap((r) => r?.items ?? [])), maxItems, maxBytes);
      }),
    remove: (ids) =>
      ids.length
        ? run('readwrite', async (items, m, meta) => {
            // The records that may hold them have keys up to the largest (usually exactly the ones just sent).
            // (The eviction report's id, newest of all, is not an item: leave it out.)
            const want = new Set(ids.filter((id) => id != report?.[0]));
            if (want.size) {
              const range = IDBKeyRange.upperBound([...want].sort().at(-1)!);
              const recs = (await ask(items.getAll(range))) as Rec[];
              const gone: string[] = [];
              let whole = true;
              for (const r of recs) {
                own.delete(r.id);
                const left = r.items.filter((i) => !want.has(i.id)); // ids not found: another tab already removed them
                m.bytes = Math.max(0, m.bytes - sum(r.items) + sum(left));
                if (!left.length) gone.push(r.id);
                else {
                  whole = false;
                  if (left.length < r.items.length) {
                    items.delete(r.id);
                    items.put(rec(left));
                  }
                }
              }
              // The common case, every record of the span gone: one request.
              if (whole) items.delete(range);
              else for (const k of gone) items.delete(k);
            }
            acked(m, ids);
            report = m.report;
            meta.put(m, 'm');
          })
        : Promise.resolve(),
    evicted: () => report,
  };
};

/**
 * Deletes a database. Its connections get `versionchange` and let go (see
 * `lost` above); one that does not (another tab's) blocks it: resolved
 * then, and the browser deletes it as soon as that connection closes.
 */
export const deleteDatabase = (name: string): Promise<unknown> =>
  new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = req.onerror = req.onblocked = resolve;
  });

/** What pages going away left in localStorage under keys beginning with `prefix`: each key with its value as read, and the items. */
const spilled = (prefix: string): [[string, string][], OutboxItem[]] => {
  const keys: [string, string][] = [];
  const items: OutboxItem[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i)!;
      if (k.startsWith(KEYS.prefix + prefix)) {
        const v = localStorage.getItem(k)!;
        items.push(...(JSON.parse(v) as OutboxItem[]));
        keys.push([k, v]);
      }
    }
  } catch {
    // Unreadable storage: nothing to take back.
  }
  return [keys, items];
};

/** An idle slot (the page's work done), at most a second away; where there is none (Safari), the next task. */
const idle = (fn: () => void) => (self.requestIdleCallback ?? setTimeout)(fn, { timeout: 1_000 } as never);

/**
 * IndexedDB while it works, never throwing. The first failure of any step —
 * open, put, peek, remove; quota, `UnknownError`, `InvalidStateError` — emits
 * one diagnostic and switches to `fallback` for the rest of the page's life.
 * The SDK passes the memory outbox that already holds every item of this
 * page, so sending goes on from there; at open, and again when the database
 * is deleted under us, those items are written to IndexedDB. `unwritten()`
 * tells which of them are not there yet (the page spills those as it hides).
 *
 * - `fallback`: where items go once IndexedDB fails (default: a memory outbox of its own);
 * - `track`: emits the one diagnostic event of a storage failure (the SDK's call());
 * - `spill`: where pages going away left items in localStorage (`writeStored(spill + page)`), taken back at open.
 *   A caller that spills gets deferred writes: `put` keeps items in memory and
 *   writes everything put meanwhile in one transaction at the next idle slot
 *   (a hidden page: at once). Until then `peek` includes them, and an item
 *   acknowledged before its write is never written at all. That caller holds
 *   every item in `fallback` too and spills `unwritten()` in the task the page
 *   hides in, so an item is always in IndexedDB, in localStorage or in a
 *   keepalive request by the time the page can die (issue #21, #19). Another
 *   tab's spill made while this page is open is taken back too, and `taken()` called (to send it and what
 *   that tab wrote).
 */
export const openOutbox = async (
  capBytes: number,
  fallback = memoryOutbox(capBytes),
  track?: (method: string, args: unknown[]) => void,
  spill?: string,
  name: string = KEYS.indexedDB.outbox,
  taken?: () => void,
): Promise<Outbox & { drop(): Promise<void>; commit(): Promise<void> }> => {
  let db: Inner | undefined;
  let failed = false;
  const written = new Set<string>();
  /** Put, not written yet (deferred writes), and being written. */
  let queued = new Map<string, OutboxItem>();
  let writing: OutboxItem[] = [];
  let slot = false;
  /** Ends the listening for other tabs' spills (consent withdrawn: a new outbox listens when it is granted again). */
  const stop = new AbortController();
  const fail = (e: unknown) => {
    db = undefined;
    if (!failed) track?.('track', ['Touchpoint Storage Failed', { error: (e as Error)?.name ?? String(e) }]);
    failed = true;
  };
  const guard =
    <A extends unknown[], R>(f: (o: Outbox, ...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      if (db)
        try {
          return await f(db, ...a);
        } catch (e) {
          fail(e);
        }
      return f(fallback, ...a);
    };
  const write = guard((x, items: OutboxItem[], mine?: boolean) => (x as Inner).put(items, mine));
  const put = async (items: OutboxItem[], mine?: boolean) => {
    await write(items, mine);
    if (db) for (const i of items) written.add(i.id);
  };
  /** Writes what waits, in one transaction. */
  const commit = async () => {
    slot = false;
    writing = [...queued.values()];
    queued = new Map();
    await put(writing, true).finally(() => (writing = []));
  };
  const remove = guard((x, ids: string[]) => x.remove(ids));
  const o = {
    get durable() {
      return !!db;
    },
    async put(items) {
      if (!spill || !db) return put(items);
      for (const i of items) queued.set(i.id, i);
      if (document.hidden) return commit();
      if (!slot) idle(() => void commit());
      slot = true;
    },
    async peek(n, b) {
      // Deferred writes: this page's items are all in `fallback`, so IndexedDB is read only for the others' (earlier pages', other tabs').
      const mirror = !!spill && !!db && !db.mixed;
      const stored = await guard((x) => (x as Inner).peek(n, b, mirror))();
      return take(flat([...stored, ...(mirror ? await fallback.peek(n, b) : [...writing, ...queued.values()])]), n, b);
    },
    async remove(ids) {
      // Acknowledged before their write: nothing to do in IndexedDB for those.
      const rest = ids.filter((id) => !queued.delete(id));
      if (rest.length) await remove(rest);
    },
    evicted: () => (db ?? fallback).evicted(),
    // With what waits for its write or is being written: the page's memory outbox is bounded by the same
    // cap and drops its oldest unseen and uncounted (evictions are counted where items are stored), so an
    // item put but not yet written may be only here. Spilled too, it is counted if the cap evicts it.
    unwritten: (items) => flat([...items, ...writing, ...queued.values()]).filter((i) => !(db && written.has(i.id))),
    /** Writes what waits now (tests; a caller that must know). */
    commit,
    /**
     * Consent withdrawn: from now on `fallback` only (no diagnostic; nothing
     * reopens the database), and the database deleted — our connection lets
     * go on the deletion's `versionchange`. Consent records outlive it: they
     * move to `fallback` first, because the proof of a decision is still sent.
     */
    async drop() {
      const d = db;
      db = undefined;
      stop.abort();
      failed = true;
      queued.clear();
      if (d) {
        await d.peek(Infinity, Infinity).then((all) => fallback.put(all.filter((i) => i.kind == 'consent')), quiet);
        await deleteDatabase(name);
      }
    },
  } satisfies Outbox & { commit(): Promise<void> };
  const carryOver = async () => o.put(await fallback.peek(Infinity, Infinity));
  try {
    db = await idbOutbox(capBytes, name, () => {
      written.clear();
      void carryOver();
    });
  } catch (e) {
    fail(e);
  }
  await carryOver();
  if (spill) {
    // Taken back into IndexedDB (or, failing that, into this page's memory, which spills again as it hides), in one write, before the keys go.
    const takeBack = async () => {
      const [keys, items] = spilled(spill);
      if (items.length) await put(items);
      // The keys go once their items are in IndexedDB, or in the memory of a visible page (IndexedDB failing: it
      // spills them again as it hides; kept, they would be sent again by every page while the failure lasts). Never
      // in a hidden page: a tab closing still runs its tasks for a while, its writes failing as it goes, and keys it
      // removed left the items only in its dying memory (1 run in 10 of the durability journeys). A key written
      // again meanwhile (a tab hides twice as it closes: visibilitychange, then pagehide) stays for the next look.
      if (db || !document.hidden) for (const [k, v] of keys) if (localStorage.getItem(k) === v) localStorage.removeItem(k);
    };
    // A tab closing while this one is open (Playwright's close() does not wait for the unload handlers either):
    // what it spilled lands after this page's open read the keys, and what it wrote to IndexedDB after this page's
    // first send; both would wait for this page's next event or the next page load. Its spill key (an empty one
    // written and removed at once) says so: taken back, and a send scheduled. Two tabs taking the same spill back write it twice:
    // the outbox keeps each id once.
    addEventListener('storage', (e) => void (db && e.newValue && e.key?.startsWith(KEYS.prefix + spill) && takeBack().then(taken)), { signal: stop.signal });
    await takeBack();
  }
  return o;
};
