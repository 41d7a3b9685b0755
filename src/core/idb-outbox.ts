import { openDB, type IDBPDatabase } from 'idb';
import { acked, evict, memoryOutbox, take, type EvictionReport, type Evictions, type Outbox, type OutboxItem } from './outbox.js';

// Its own module (and lazy chunk in the script-tag build): idb and the byte
// accounting are 2.5 KB gzip that a page needs only once storage is allowed.

const DB = 'touchpoint';
const ITEMS = 'outbox:v1';
const META = 'meta:v1';

interface Meta extends Evictions {
  bytes: number;
}

/** Requests are not awaited one by one (a round trip each), and a failed one aborts the transaction, which `tx.done` reports. */
const quiet = () => {};
type Tx = { objectStore(n: string): { get(k: string): Promise<unknown> } };
const meta = async (tx: Tx): Promise<Meta> => ((await tx.objectStore(META).get('m')) as Meta | undefined) ?? { bytes: 0, evicted: 0 };
/** The key range from the smallest to the largest of `ids`: one request finds which of them are stored. */
const span = (ids: string[]) => {
  const s = [...ids].sort();
  return IDBKeyRange.bound(s[0], s.at(-1));
};

/**
 * The IndexedDB outbox. Byte accounting and the eviction report live in a
 * meta record updated in the same transaction as each write, so several tabs
 * sharing the database keep them exact without talking to each other.
 * `onLost`: the database was deleted or closed under us (the user cleared
 * site data, another tab deleted it); the next use reopens it, empty.
 */
export const idbOutbox = async (capBytes: number, name = DB, onLost?: () => void): Promise<Outbox> => {
  let conn: Promise<IDBPDatabase> | undefined;
  let report: EvictionReport | undefined;
  const lost = () => {
    void conn?.then((d) => d.close());
    conn = undefined;
    onLost?.();
  };
  const open = () =>
    (conn ??= Promise.race([
      openDB(name, 1, {
        upgrade(d) {
          d.createObjectStore(ITEMS, { keyPath: 'id' });
          d.createObjectStore(META);
        },
        // Another tab upgrades or deletes the database: let go at once instead of blocking it.
        blocking: lost,
        terminated: lost,
      }),
      // Some browsers (old Safari, Firefox private mode) leave open() pending forever.
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('IndexedDB open timed out')), 3_000)),
    ]));
  await open();
  /** A transaction whose failure is reported once, by `tx.done`, even when an earlier request throws first. */
  const begin = async (mode?: 'readwrite') => {
    const tx = (await open()).transaction([ITEMS, META], mode);
    tx.done.catch(quiet);
    return tx;
  };

  return {
    durable: true,
    async put(add) {
      if (!add.length) return;
      const tx = await begin('readwrite');
      const items = tx.objectStore(ITEMS);
      const [m, old] = await Promise.all([meta(tx), items.getAllKeys(span(add.map((i) => i.id)))]);
      // Putting an item twice (a spill restored after its write did commit) must not count it twice.
      const known = new Set(old);
      for (const item of add) {
        void items.put(item).catch(quiet);
        if (!known.has(item.id)) m.bytes += item.bytes;
      }
      if (m.bytes > capBytes) {
        // Oldest first, never what this call adds.
        const added = new Set(add.map((i) => i.id));
        let n = 0;
        let cursor = await items.openCursor();
        while (cursor && m.bytes > capBytes && !added.has(cursor.key as string)) {
          m.bytes -= (cursor.value as OutboxItem).bytes;
          n++;
          void cursor.delete().catch(quiet);
          cursor = await cursor.continue();
        }
        if (n) evict(m, n);
      }
      void tx.objectStore(META).put(m, 'm').catch(quiet);
      await tx.done;
    },
    async peek(maxItems, maxBytes) {
      // One transaction, two requests: no cursor walk per send.
      const tx = await begin();
      const [all, m] = await Promise.all([tx.objectStore(ITEMS).getAll(null, maxItems < 1e9 ? maxItems : undefined), meta(tx)]);
      report = m.report;
      return take(all as OutboxItem[], maxItems, maxBytes);
    },
    async remove(ids) {
      if (!ids.length) return;
      const tx = await begin('readwrite');
      const items = tx.objectStore(ITEMS);
      // One read of the span the ids cover (usually exactly the batch just sent, oldest first), one delete when nothing else is in it.
      // (The eviction report's id, newest of all, is not an item: leave it out of the span.)
      const keys = ids.filter((id) => id != report?.[0]);
      const want = new Set(keys);
      const range = span(keys.length ? keys : ids);
      const [m, inRange] = await Promise.all([meta(tx), items.getAll(range) as Promise<OutboxItem[]>]);
      const gone = inRange.filter((it) => want.has(it.id)); // the others: another tab already removed them
      for (const it of gone) m.bytes = Math.max(0, m.bytes - it.bytes);
      if (gone.length == inRange.length) void items.delete(range).catch(quiet);
      else for (const it of gone) void items.delete(it.id).catch(quiet);
      acked(m, ids);
      report = m.report;
      void tx.objectStore(META).put(m, 'm').catch(quiet);
      await tx.done;
    },
    evicted: () => report,
  };
};

/**
 * Deletes a database. Its connections get `versionchange` and let go (see
 * `blocking` above); one that does not (another tab's) blocks it: resolved
 * then, and the browser deletes it as soon as that connection closes.
 */
export const deleteDatabase = (name: string): Promise<unknown> =>
  new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = req.onerror = req.onblocked = resolve;
  });

/** What pages going away left in localStorage under `prefix`: [key, items] each. */
const spilled = (prefix: string): [string, OutboxItem[]][] => {
  const out: [string, OutboxItem[]][] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i)!;
      if (k.startsWith(`tp:v1:${prefix}:`)) out.push([k, JSON.parse(localStorage.getItem(k)!) as OutboxItem[]]);
    }
  } catch {
    // Unreadable storage: nothing to take back.
  }
  return out;
};

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
 * - `spill`: localStorage keys (`tp:v1:<spill>:<page>`) where pages going away left items, taken back at open.
 */
export const openOutbox = async (
  capBytes: number,
  fallback = memoryOutbox(capBytes),
  track?: (method: string, args: unknown[]) => void,
  spill?: string,
  name = DB,
): Promise<Outbox & { drop(): Promise<void> }> => {
  let db: Outbox | undefined;
  let failed = false;
  const written = new Set<string>();
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
  const put = guard((x, items: OutboxItem[]) => x.put(items));
  const o = {
    get durable() {
      return !!db;
    },
    async put(items) {
      await put(items);
      if (db) for (const i of items) written.add(i.id);
    },
    peek: guard((x, n, b) => x.peek(n, b)),
    remove: guard((x, ids) => x.remove(ids)),
    evicted: () => (db ?? fallback).evicted(),
    unwritten: (items) => items.filter((i) => !(db && written.has(i.id))),
    /**
     * Consent withdrawn: from now on `fallback` only (no diagnostic; nothing
     * reopens the database), and the database deleted — our connection lets
     * go on the deletion's `versionchange`. Consent records outlive it: they
     * move to `fallback` first, because the proof of a decision is still sent.
     */
    async drop() {
      const d = db;
      db = undefined;
      failed = true;
      if (d) {
        await d.peek(Infinity, Infinity).then((all) => fallback.put(all.filter((i) => i.kind == 'consent')), quiet);
        await deleteDatabase(name);
      }
    },
  } satisfies Outbox;
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
  // Taken back into IndexedDB (or, failing that, into this page's memory, which spills again as it hides).
  for (const [key, items] of spill ? spilled(spill) : []) {
    await o.put(items);
    localStorage.removeItem(key);
  }
  return o;
};
