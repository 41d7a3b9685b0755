import { PROTOCOL_VERSION } from '../protocol/constants.js';
import { backoff } from '../lib/backoff.js';
import { warn } from '../lib/warn.js';
import type { Outbox, OutboxItem } from './outbox.js';
import { send, type SendResult } from './transport.js';

export interface DeliveryOptions {
  /** Full URL of `POST /v1/batch`, with `?site=`. */
  url: string;
  outbox: () => Promise<Outbox>;
  /** The outbox usable this instant (the memory one while IndexedDB is still opening): a hidden page cannot wait. */
  outboxNow?: () => Outbox;
  /** Called for each request outcome (drops, retries) so the SDK can emit diagnostics. */
  onResult?: (r: SendResult, items: OutboxItem[]) => void;
  interval?: number;
  maxItems?: number;
  maxBytes?: number;
}

/** The Fetch spec allows 64 KB of keepalive bodies in flight per page; keep a margin. */
const KEEPALIVE_BYTES = 60 * 1024;
/** Name of the Web Lock that makes one tab at a time the sender. */
const LOCK = 'tp:v1:flush';

/** Wraps items into the protocol's batch body. */
const body = (items: OutboxItem[]) => {
  const b: Record<string, unknown[]> = {};
  for (const it of items) (b[it.kind] ??= []).push(it.body);
  return JSON.stringify({ protocol: PROTOCOL_VERSION, sentAt: new Date().toISOString(), ...b });
};

/** Which item an error path like `/batch/3/event` names, if any. */
const itemAt = (items: OutboxItem[], path = ''): OutboxItem | undefined => {
  const m = /^\/(\w+)\/(\d+)/.exec(path);
  return m ? items.filter((i) => i.kind === m[1])[Number(m[2])] : undefined;
};

/**
 * Moves items from the outbox to the server, each acknowledged item removed.
 * Exactly once: an item is deleted only after a 2xx, and the server ignores
 * repeats of an id, so every crash window resolves to "sent again, stored once".
 */
export const createDelivery = (o: DeliveryOptions) => {
  const { interval = 2_000, maxItems = 50, maxBytes = 60 * 1024 } = o;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let running: Promise<void> | undefined;
  let retryAt = 0;

  const schedule = (ms = interval, force = false) => {
    if (timer && !force) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, ms);
  };

  const drain = async (): Promise<void> => {
    const outbox = await o.outbox();
    for (;;) {
      if (navigator.onLine === false) return; // `online` listener resumes
      const items = await outbox.peek(maxItems, maxBytes);
      if (!items.length) return;
      const r = await send(o.url, body(items));
      o.onResult?.(r, items);
      if (r.status >= 200 && r.status < 300) {
        attempt = 0;
        await outbox.remove(items.map((i) => i.id));
      } else if (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) {
        // The request is wrong and will stay wrong: drop the one item the
        // error names, or the whole batch when it names none.
        const bad = itemAt(items, r.error?.path);
        if (DEV_MODE) warn('dropped', `The server refused ${bad ? 'an item' : `${items.length} items`}: ${r.error?.message ?? r.status}.`);
        await outbox.remove(bad ? [bad.id] : items.map((i) => i.id));
      } else {
        const wait = backoff(attempt++, r.retryAfterMs);
        retryAt = Date.now() + wait;
        // Replace any pending regular flush: the retry time is what counts now.
        schedule(wait, true);
        return;
      }
    }
  };

  /** Sends everything waiting; resolves when the outbox is empty or a retry is scheduled. */
  const flush = (): Promise<void> => {
    // Honour backoff / Retry-After, but never lose the retry itself.
    if (Date.now() < retryAt) return schedule(retryAt - Date.now(), true), Promise.resolve();
    return (running ??= (async () => {
      try {
        const locks = navigator.locks;
        if (locks) await locks.request(LOCK, { ifAvailable: true }, (lock) => (lock ? drain() : schedule()));
        else await drain();
      } catch (e) {
        if (DEV_MODE) warn('flush', String(e));
        schedule(backoff(attempt++));
      } finally {
        running = undefined;
      }
    })());
  };

  /** Last chance before the page goes: one keepalive request of what fits. */
  const flushOnHide = async () => {
    try {
      const outbox = o.outboxNow?.() ?? (await o.outbox());
      const items = await outbox.peek(maxItems * 4, KEEPALIVE_BYTES);
      if (!items.length) return;
      const r = await send(o.url, body(items), true);
      // If the page survives (bfcache, tab switch) the answer still arrives.
      if (r.status >= 200 && r.status < 300) await outbox.remove(items.map((i) => i.id));
    } catch {
      // The page is going away; the items wait for the next load.
    }
  };

  addEventListener('online', () => {
    retryAt = 0;
    void flush();
  });
  return { schedule, flush, flushOnHide, retryNow: () => ((retryAt = 0), flush()) };
};
export type Delivery = ReturnType<typeof createDelivery>;
