import { openDB, type IDBPDatabase } from 'idb';
import { memoryOutbox, type Outbox, type OutboxItem } from './outbox.js';

// Its own module (and lazy chunk in the script-tag build): idb and the byte
// accounting are 2.5 KB gzip that a page needs only once storage is allowed.

const DB = 'touchpoint';
const ITEMS = 'outbox:v1';
const META = 'meta:v1';

interface Meta {
  bytes: number;
  evicted: number;
}

/**
 * The IndexedDB outbox. Byte accounting lives in a meta record updated in
 * the same transaction as each write, so several tabs sharing the database
 * keep it exact without talking to each other.
 */
export const idbOutbox = async (capBytes: number, name = DB): Promise<Outbox> => {
  let conn: Promise<IDBPDatabase> | undefined;
  const open = () =>
    (conn ??= Promise.race([
      openDB(name, 1, {
        upgrade(d) {
          d.createObjectStore(ITEMS, { keyPath: 'id' });
          d.createObjectStore(META);
        },
        // Another tab upgrades or deletes the database (logout, consent
        // withdrawal): let go at once instead of blocking it, reopen on next use.
        blocking() {
          void conn?.then((d) => d.close());
          conn = undefined;
        },
        terminated() {
          conn = undefined;
        },
      }),
      // Some browsers (old Safari, Firefox private mode) leave open() pending forever.
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('IndexedDB open timed out')), 3_000)),
    ]));
  await open();
  const meta = async (tx: { objectStore(n: string): { get(k: string): Promise<unknown> } }): Promise<Meta> =>
    ((await tx.objectStore(META).get('m')) as Meta | undefined) ?? { bytes: 0, evicted: 0 };

  return {
    durable: true,
    async put(add) {
      const db = await open();
      const tx = db.transaction([ITEMS, META], 'readwrite');
      const m = await meta(tx);
      const items = tx.objectStore(ITEMS);
      for (const item of add) {
        // Putting an item twice (the carry-over from memory racing a new put) must not count it twice.
        const old = (await items.get(item.id)) as OutboxItem | undefined;
        await items.put(item);
        m.bytes += item.bytes - (old?.bytes ?? 0);
      }
      if (m.bytes > capBytes) {
        // Oldest first, never what this call adds.
        const added = new Set(add.map((i) => i.id));
        let cursor = await items.openCursor();
        while (cursor && m.bytes > capBytes && !added.has(cursor.key as string)) {
          m.bytes -= (cursor.value as OutboxItem).bytes;
          m.evicted++;
          await cursor.delete();
          cursor = await cursor.continue();
        }
      }
      await tx.objectStore(META).put(m, 'm');
      await tx.done;
    },
    async peek(maxItems, maxBytes) {
      const db = await open();
      const out: OutboxItem[] = [];
      let bytes = 0;
      let cursor = await db.transaction(ITEMS).store.openCursor();
      while (cursor && out.length < maxItems) {
        const it = cursor.value as OutboxItem;
        if (out.length && bytes + it.bytes > maxBytes) break;
        out.push(it);
        bytes += it.bytes;
        cursor = await cursor.continue();
      }
      return out;
    },
    async remove(ids) {
      const db = await open();
      const tx = db.transaction([ITEMS, META], 'readwrite');
      const m = await meta(tx);
      const items = tx.objectStore(ITEMS);
      for (const id of ids) {
        const it = (await items.get(id)) as OutboxItem | undefined;
        if (!it) continue; // another tab already removed it
        m.bytes = Math.max(0, m.bytes - it.bytes);
        await items.delete(id);
      }
      await tx.objectStore(META).put(m, 'm');
      await tx.done;
    },
    async takeEvicted() {
      const db = await open();
      const tx = db.transaction(META, 'readwrite');
      const m = await meta(tx);
      const n = m.evicted;
      if (n) await tx.store.put({ ...m, evicted: 0 }, 'm');
      await tx.done;
      return n;
    },
  };
};

/** IndexedDB when it works, memory otherwise; never throws. */
export const openOutbox = async (capBytes: number): Promise<Outbox> => {
  try {
    return await idbOutbox(capBytes);
  } catch {
    return memoryOutbox(capBytes);
  }
};
