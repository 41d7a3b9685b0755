import { PROTOCOL_VERSION } from '../protocol/constants.js';
import { warn } from '../lib/warn.js';
import type { DrainState } from './drain.js';
import { take, type EvictionReport, type Outbox, type OutboxItem } from './outbox.js';
import { send, type SendResult } from './transport.js';
import { KEYS } from '../lib/storage-keys.js';

export interface DeliveryOptions {
  /** Full URL of `POST /v1/batch`, with `?site=`. */
  url: string;
  outbox: () => Promise<Outbox>;
  /** This page's items, usable this instant: a hidden page cannot wait. */
  outboxNow: () => Outbox;
  /** Called for each request outcome (drops, retries) so the SDK can emit diagnostics. */
  onResult: (r: SendResult, items: OutboxItem[]) => void;
  /** Items left the outbox: acknowledged, or refused for good. */
  onRemove: (ids: string[]) => void;
  /** The diagnostic event that carries an eviction report (its id is the report's). */
  report: (r: EvictionReport) => OutboxItem;
  interval?: number;
  maxItems?: number;
  maxBytes?: number;
}

/** The Fetch spec allows 64 KB of keepalive bodies in flight per page; each request ≤ 60 KB, and a margin for the envelopes. */
const KEEPALIVE_BYTES = 60 * 1024;
const KEEPALIVE_BUDGET = 63 * 1024;

/** Wraps items into the protocol's batch body. */
export const batchBody = (items: OutboxItem[]): string => {
  const b: Record<string, unknown[]> = {};
  for (const it of items) (b[it.kind] ??= []).push(it.body);
  return JSON.stringify({ protocol: PROTOCOL_VERSION, sentAt: new Date().toISOString(), ...b });
};

/**
 * Moves items from the outbox to the server (drain.ts), one tab at a time,
 * on a timer, with backoff; and at page hide, this page's items in keepalive
 * requests.
 */
export const createDelivery = (o: DeliveryOptions) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;

  const schedule = (ms = o.interval ?? 2_000, force = false) => {
    if (timer && !force) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, ms);
  };
  const state: DrainState = { attempt: 0, failures: 0, retryAt: 0, schedule };

  /** A drain to follow the running one: what a flush called meanwhile asks for. */
  let again: Promise<void> | undefined;
  /**
   * Sends everything waiting; resolves when the outbox is empty or a retry is
   * scheduled. Called while a drain runs, it resolves after one more: the
   * running drain may be past its last read, and `tp.flush()` promises what
   * was tracked before it.
   */
  const flush = (): Promise<void> =>
    running
      ? (again ??= running.then(() => ((again = undefined), flush())))
      : (running = (async () => {
          try {
            const drain = async () => (await import('./drain.js')).drain(o, state);
            const locks = navigator.locks;
            if (locks) await locks.request(KEYS.lock.flush, { ifAvailable: true }, (lock) => (lock ? drain() : schedule()));
            else await drain();
          } catch (e) {
            // The drain chunk did not load (offline), or Web Locks failed: the next regular flush tries again.
            if (DEV_MODE) warn('flush', String(e));
            schedule();
          } finally {
            running = undefined;
          }
        })());

  /**
   * Last chance before the page goes: this page's items in as many keepalive
   * requests of ≤ 60 KB as the page's 64 KB keepalive budget allows. What
   * does not fit, the SDK has written to storage (see touchpoint.ts).
   */
  const flushOnHide = async () => {
    try {
      // (A second hide while the first one's requests fly finds the budget spent: its requests fail, harmlessly.)
      let items = await o.outboxNow().peek(Infinity, Infinity);
      for (let budget = KEEPALIVE_BUDGET; items.length; ) {
        const part = take(items, Infinity, Math.min(KEEPALIVE_BYTES, budget));
        if ((budget -= part.reduce((n, i) => n + i.bytes + 1, 99)) < 0) return;
        items = items.slice(part.length);
        // Not awaited: every request must start in this task. If the page survives (bfcache, tab switch) the answers still arrive.
        void send(o.url, batchBody(part), true).then((r) => r.status >= 200 && r.status < 300 && o.onRemove(part.map((i) => i.id)));
      }
    } catch {
      // The page is going away; the items wait for the next load.
    }
  };

  const retryNow = () => ((state.retryAt = 0), flush());
  addEventListener('online', retryNow);
  return { schedule, flush, flushOnHide, retryNow };
};
export type Delivery = ReturnType<typeof createDelivery>;
