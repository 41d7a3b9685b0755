import { backoff } from '../protocol/backoff.js';
import { LIMITS } from '../protocol/constants.js';
import { gzip } from '../lib/gzip.js';
import { warn } from '../lib/warn.js';
import { batchBody, type DeliveryOptions } from './delivery.js';
import { take, type Outbox, type OutboxItem } from './outbox.js';
import { send } from './transport.js';

/** What one tab's sending remembers between drains. */
export interface DrainState {
  /** Retries in a row (the backoff exponent). */
  attempt: number;
  /** 5xx answers in a row. */
  failures: number;
  /** Not before (backoff, `Retry-After`). */
  retryAt: number;
  schedule: (ms?: number, force?: boolean) => void;
}

/**
 * Bodies above this are gzipped when the browser can (CompressionStream): a
 * backlog (offline, a failing server) of up to 480 KB, where the bytes saved
 * count. A page's own start-up batch (its page view and 100 events, ~35 KB)
 * goes plain; most pages' batches are far smaller and never were compressed.
 * Measured alone (bench/experiments/gzip-cost.mjs: a 42 KB body at 4×
 * throttling, main-thread busy time per request, median of 6 pages): 11.5 ms
 * plain, 23.6 ms gzipped through Blob → CompressionStream → Blob (the drain
 * until this change, from 16 KB), 14.9 ms through Response → CompressionStream
 * → ArrayBuffer, which skips the Blob registry's round trips (lib/gzip.ts).
 */
const GZIP_FROM = 64 * 1024;

/** Sends a batch, gzipped when big (never at page hide: compression is async, and a hidden page may be frozen before it finishes). */
const sendBatch = async (url: string, items: OutboxItem[]) => {
  const json = batchBody(items);
  if (json.length > GZIP_FROM && typeof CompressionStream == 'function') {
    try {
      return await send(`${url}&encoding=gzip`, await gzip(json));
    } catch {
      // No compression after all: the plain body below.
    }
  }
  return send(url, json);
};

/**
 * A drain's batches are as big as the server takes (500 items, 500 KB), not
 * the ≤ 60 KB of a page going away: they are ordinary requests (a page that
 * dies meanwhile sends the items again from storage; the server dedupes), so
 * the keepalive budget does not apply, and one request costs the main thread
 * ~5 network tasks however big it is. One item fewer than the server's
 * limit leaves room for an eviction report; sizes are counted in UTF-16
 * units (`JSON.stringify(…).length`), and UTF-8 takes at most 3 bytes per
 * unit, so 160 K units is at most 480 KB on the wire, envelope included.
 */
const BATCH_ITEMS = LIMITS.batchItems - 1;
const BATCH_CHARS = 160 * 1024;

/** 5xx answers in a row for the same batch before it is split in halves. */
const SPLIT_AFTER = 3;

/** Which item an error path like `/batch/3/event` names, if any. */
const itemAt = (items: OutboxItem[], path = ''): OutboxItem | undefined => {
  const m = /^\/(\w+)\/(\d+)/.exec(path);
  return m ? items.filter((i) => i.kind === m[1])[Number(m[2])] : undefined;
};
const ids = (items: OutboxItem[]) => items.map((i) => i.id);

/**
 * Sends what waits in the outbox, batch after batch, each acknowledged item
 * removed; resolves when it is empty (or the page is offline) or a retry is
 * scheduled. A lazy chunk of its own: the page's first
 * flush loads it, after start-up; a hidden page sends without it
 * (`flushOnHide`). Exactly once: an item is deleted only after a 2xx, and the
 * server ignores repeats of an id.
 */
export const drain = async (o: DeliveryOptions, s: DrainState): Promise<void> => {
  const { maxItems = BATCH_ITEMS, maxBytes = BATCH_CHARS } = o;
  // Honour backoff / Retry-After, but never lose the retry itself.
  if (Date.now() < s.retryAt) return s.schedule(s.retryAt - Date.now(), true);
  // A visible page waits for an idle slot (≤ 1 s): a burst being built (a page's start-up) goes in full
  // batches, after its one outbox write, instead of a request and a read per slice built so far.
  if (!document.hidden) await new Promise((r) => (self.requestIdleCallback ?? setTimeout)(r, { timeout: 1_000 } as never));
  const outbox: Outbox = await o.outbox();
  let retryAfter = 0;
  /**
   * Done with (acknowledged, or refused for good), removed from the outbox
   * once, when nothing is left to send (or the drain stops): one transaction
   * for all its batches, not one each
   * (and no record cut and written again for a batch that ends inside it).
   * Until then the page's memory has let go of them and the loop skips them.
   * A page that dies in between sends them again from storage; the server
   * ignores an id it has (as after a lost answer).
   */
  const done = new Set<string>();
  let doneBytes = 0;
  const drop = (items: OutboxItem[]) => {
    for (const i of items) {
      done.add(i.id);
      doneBytes += i.bytes;
    }
    o.onRemove(ids(items));
  };

  /** One request; true when its items are done with (sent, or refused for good). */
  const post = async (items: OutboxItem[]): Promise<boolean> => {
    const r = await sendBatch(o.url, items);
    o.onResult(r, items);
    const ok = r.status >= 200 && r.status < 300;
    if (ok || (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429)) {
      // A refusal will stay one: drop the one item the error names, or the whole batch when it names none.
      const bad = ok ? undefined : itemAt(items, r.error?.path);
      if (DEV_MODE && !ok) warn('dropped', `The server refused ${bad ? 'an item' : `${items.length} items`}: ${r.error?.message ?? r.status}.`);
      drop(bad ? [bad] : items);
      return true;
    }
    if (r.status > 499) s.failures++;
    retryAfter = r.retryAfterMs;
    return false;
  };

  /**
   * A batch that keeps failing with 5xx may hold one item the server cannot
   * take (issue #18: one lone surrogate stopped a visitor's analytics for
   * good): send each half. Both failing is an outage — wait and retry. One
   * going through means the other holds the culprit, which is split again,
   * down to one item that fails alone, twice, while its neighbours went: that
   * one is dropped. Resolves to whether anything moved.
   */
  const split = async (items: OutboxItem[]): Promise<boolean> => {
    const h = Math.ceil(items.length / 2);
    const [a, b] = [items.slice(0, h), items.slice(h)];
    const okA = await post(a);
    const okB = await post(b);
    if (okA == okB) return okA;
    const bad = okA ? b : a;
    if (bad.length > 1) await split(bad);
    else if (!(await post(bad))) {
      if (DEV_MODE) warn('poison', 'The server failed on one item again and again while the rest of its batch went through: dropped it.');
      drop(bad);
    }
    return true;
  };

  try {
    for (;;) {
      if (navigator.onLine === false) return; // `online` listener resumes
      // Up to four batches read at a time (a read is a transaction and its reply tasks; a backlog of
      // small batches, as tests make, is one read), then sent one by one. (Oldest first: what this drain is done
      // with comes first, if the outbox still has it.)
      let items = (await outbox.peek(4 * maxItems + done.size, 4 * maxBytes + doneBytes)).filter((i) => !done.has(i.id));
      // Evictions travel in the next request, as one event outside the outbox: it cannot be evicted itself.
      let rep = outbox.evicted();
      if (rep && done.has(rep[0])) rep = undefined;
      if (!items.length && !rep) {
        if (!done.size) return;
        await outbox.remove([...done]);
        done.clear();
        doneBytes = 0;
        // Evictions made while the report just acknowledged waited make the next report:
        // sent now, not left for some later flush.
        if (!outbox.evicted()) return;
        continue;
      }
      while (items.length || rep) {
        const batch = take(items, maxItems, maxBytes);
        items = items.slice(batch.length);
        if (rep) batch.push(o.report(rep));
        rep = undefined;
        if (!(await post(batch)) && !(s.failures >= SPLIT_AFTER && batch.length > 1 && (await split(batch)))) {
          const wait = backoff(s.attempt++, retryAfter);
          s.retryAt = Date.now() + wait;
          // Replace any pending regular flush: the retry time is what counts now.
          return s.schedule(wait, true);
        }
        s.attempt = s.failures = 0;
      }
    }
  } finally {
    if (done.size) await outbox.remove([...done]);
  }
};
