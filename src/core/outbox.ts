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
 * Where items wait until the server acknowledges them. Bounded in bytes:
 * when full, the oldest items go first and are counted in `takeEvicted()`,
 * which the SDK reports as a diagnostic event.
 */
export interface Outbox {
  /** Adds items in one write (one IndexedDB transaction): a burst of events costs one, not one each. */
  put(items: OutboxItem[]): Promise<void>;
  /** Oldest items first, at most `maxItems` and `maxBytes` (always at least one item). */
  peek(maxItems: number, maxBytes: number): Promise<OutboxItem[]>;
  remove(ids: string[]): Promise<void>;
  /** Items evicted since the last call. */
  takeEvicted(): Promise<number>;
  readonly durable: boolean;
}

const take = (items: OutboxItem[], maxItems: number, maxBytes: number): OutboxItem[] => {
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
  let items: OutboxItem[] = [];
  let evicted = 0;
  let bytes = 0;
  return {
    durable: false,
    async put(add) {
      for (const item of add) {
        items.push(item);
        bytes += item.bytes;
      }
      while (bytes > capBytes && items.length > add.length) {
        bytes -= items.shift()!.bytes;
        evicted++;
      }
    },
    peek: async (n, b) => take(items, n, b),
    async remove(ids) {
      const gone = new Set(ids);
      items = items.filter((i) => !gone.has(i.id) || ((bytes -= i.bytes), false));
    },
    async takeEvicted() {
      const n = evicted;
      evicted = 0;
      return n;
    },
  };
};

