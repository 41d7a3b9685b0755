import { uuidv7 } from '../lib/uuidv7.js';

/** One thing waiting to be sent: an event, a consent record, a survey answer or a replay chunk. */
export interface OutboxItem {
  /** uuidv7 of the item: sorting by id is FIFO order. */
  id: string;
  /** The batch field it travels in. */
  kind: 'batch' | 'consent' | 'responses' | 'replay' | 'chat';
  body: unknown;
  /** Serialised size, counted against the outbox cap. */
  bytes: number;
}

/**
 * Items evicted and not yet reported: the id the report travels under (fixed
 * until acknowledged, so a retry after a lost answer is deduped, not counted
 * twice) and the count.
 */
export type EvictionReport = [id: string, count: number];

/**
 * Where items wait until the server acknowledges them. Bounded in bytes:
 * when full, the oldest items go first. They are counted beside the items
 * (never as an item that could itself be evicted) until a request carrying
 * the report is acknowledged: removing the report's id clears it.
 */
export interface Outbox {
  /** Adds items in one write (one IndexedDB transaction): a burst of events costs one, not one each. Putting an id twice keeps one. */
  put(items: OutboxItem[]): Promise<void>;
  /** Oldest items first, at most `maxItems` and `maxBytes` (always at least one item). */
  peek(maxItems: number, maxBytes: number): Promise<OutboxItem[]>;
  remove(ids: string[]): Promise<void>;
  /** The eviction report waiting, as of the last peek. */
  evicted(): EvictionReport | undefined;
  /** Which of `items`, and of the items waiting for its own deferred write, are not in durable storage yet (the guarded IndexedDB outbox knows). */
  unwritten?(items: OutboxItem[]): OutboxItem[];
  readonly durable: boolean;
  /** Consent withdrawn: let go of durable storage and delete it; nothing re-creates it (the guarded IndexedDB outbox). */
  drop?(): Promise<void>;
}

/**
 * Eviction bookkeeping shared by both outboxes: `evict(n)` when items go,
 * `acked(ids)` after a removal. A report waiting keeps its id and count;
 * what is evicted meanwhile waits for the next one.
 */
export interface Evictions {
  report?: EvictionReport | undefined;
  evicted: number;
}
export const evict = (m: Evictions, n: number): void => {
  if (m.report) m.evicted += n;
  else m.report = [uuidv7(), n];
};
export const acked = (m: Evictions, ids: string[]): void => {
  if (m.report && ids.includes(m.report[0])) {
    m.report = m.evicted ? [uuidv7(), m.evicted] : undefined;
    m.evicted = 0;
  }
};

export const take = (items: Iterable<OutboxItem>, maxItems: number, maxBytes: number): OutboxItem[] => {
  const out: OutboxItem[] = [];
  let bytes = 0;
  for (const it of items) {
    if (out.length >= maxItems || (out.length && bytes + it.bytes > maxBytes)) break;
    out.push(it);
    bytes += it.bytes;
  }
  return out;
};

/** The fallback when IndexedDB is missing or broken: same contract, gone on reload. */
export const memoryOutbox = (capBytes: number): Outbox => {
  const items = new Map<string, OutboxItem>();
  const m: Evictions = { evicted: 0 };
  let bytes = 0;
  return {
    durable: false,
    async put(add) {
      for (const item of add) {
        if (!items.has(item.id)) bytes += item.bytes;
        items.set(item.id, item);
      }
      let n = 0;
      // Oldest first, never what this call adds (the newest: ids grow).
      for (const [id, it] of items) {
        if (bytes <= capBytes || items.size <= add.length) break;
        items.delete(id);
        bytes -= it.bytes;
        n++;
      }
      if (n) evict(m, n);
    },
    peek: async (n, b) => take(items.values(), n, b),
    async remove(ids) {
      for (const id of ids) {
        bytes -= items.get(id)?.bytes ?? 0;
        items.delete(id);
      }
      acked(m, ids);
    },
    evicted: () => m.report,
  };
};
