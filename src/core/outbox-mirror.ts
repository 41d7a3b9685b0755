import { nextTask } from '../lib/next-task.js';
import { writeStored } from '../lib/storage.js';
import { uuidv7 } from '../lib/uuidv7.js';
import { createDelivery, type DeliveryOptions } from './delivery.js';
import { memoryOutbox, take, type Outbox, type OutboxItem } from './outbox.js';
import { KEYS } from '../lib/storage-keys.js';

/** What delivery needs from the SDK: where to send, how often, what it reports. */
export type OutboxMirrorOptions = Pick<DeliveryOptions, 'url' | 'interval' | 'onResult' | 'report'>;

/** The send path as the rest of the SDK sees it (`__` members: terser mangles them). */
export interface OutboxMirror {
  /** Into memory at once, into the durable outbox in one write however many items; a send scheduled. */
  __add(items: (OutboxItem | undefined)[]): Promise<void>;
  /** Storage allowed: moves to the IndexedDB outbox, carrying over what waited in memory. */
  __open(): void;
  /** Storage withdrawn: delivery from memory, where the database's consent records move; the database is deleted. Other unsent items go. */
  __forget(): Promise<void>;
  /** Sends what waits (at start, once the outbox is open). */
  __start(): Promise<void>;
  /** Sends now, backoff or not (`flush()`). */
  __deliver(): Promise<void>;
  /** The page going away: `items` in, everything of this page sent with keepalive, the unwritten rest spilled to localStorage. */
  __leave(items: (OutboxItem | undefined)[]): void;
}

/**
 * The outbox and its delivery (delivery.ts, idb-outbox.ts). Every item of
 * this page also stays in memory until acknowledged: a page going away sends
 * them at once (keepalive) from here, because its pending IndexedDB writes
 * may never commit (a reload storm). The server dedupes. `cap`: the
 * outbox's bytes; `diagnostic`: where a storage failure is reported (an SDK event).
 */
export const createOutboxMirror = (cap: number, diagnostic: (method: string, args: unknown[]) => void, o: OutboxMirrorOptions): OutboxMirror => {
  const mem = memoryOutbox(cap);
  let durable: Promise<Outbox> | undefined;
  /** The durable outbox once open. */
  let now: Outbox | undefined;
  const page = uuidv7();
  const outbox = () => durable ?? Promise.resolve(mem);
  const delivery = createDelivery({ ...o, outbox, outboxNow: () => mem, onRemove: (ids) => void mem.remove(ids) });
  const put = async (all: (OutboxItem | undefined)[]) => {
    const items = all.filter((i) => i) as OutboxItem[];
    if (!items.length) return;
    void mem.put(items); // synchronous in effect: in memory before any await
    const d = await outbox();
    if (d != mem) await d.put(items);
    delivery.schedule();
  };
  /**
   * A page going away: what is not in IndexedDB yet goes to localStorage, in
   * the same task (an IndexedDB write begun now may never commit), under a key
   * of this page's; the next page load takes it back, and so does a tab open
   * meanwhile (idb-outbox.ts). An empty one is written and removed at once:
   * that tab still hears that this page wrote to IndexedDB, and no key is
   * left (nothing would take it back after consent withdrawn in another tab).
   */
  const spill = async () => {
    const all = await mem.peek(Infinity, Infinity);
    const key = `${KEYS.localStorage.outboxSpill}${page}` as const;
    const mine = take(now?.unwritten?.(all) ?? all, Infinity, 2 << 20);
    writeStored(key, mine);
    if (!mine.length) writeStored(key);
  };
  return {
    __add: put,
    // A page's first import() costs 10–25 ms on a throttled CPU: never in the task that creates the SDK.
    // Any failure of IndexedDB, now or later, leaves this page on `mem`, which holds all its items: sending goes on.
    __open: () =>
      void (durable ??= nextTask()
        .then(async () => (now = await (await import('./idb-outbox.js')).openOutbox(cap, mem, diagnostic, KEYS.localStorage.outboxSpill, undefined, delivery.schedule)))
        .catch(() => mem)),
    __forget: async () => {
      const d = await outbox();
      durable = undefined;
      await d.drop?.();
      await mem.remove((await mem.peek(Infinity, Infinity)).filter((i) => i.kind != 'consent').map((i) => i.id));
    },
    __start: async () => {
      await outbox();
      void delivery.flush();
    },
    __deliver: delivery.retryNow,
    __leave: (items) => {
      void put(items);
      void delivery.flushOnHide();
      if (durable) void spill();
    },
  };
};
