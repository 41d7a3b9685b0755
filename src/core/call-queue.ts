import type { Event } from '../protocol/event.js';
import { nextTask } from '../lib/next-task.js';
import { tokenBucket } from '../lib/token-bucket.js';
import type { OutboxItem } from './outbox.js';

/** The page a call was made on: href, title, referrer. */
export type CallPage = [href: string, title: string, referrer: string];

/**
 * A call as it was made: method, arguments, ISO time, and the page — the
 * snippet's queue entries have this shape too.
 */
export type Queued = [method: string, args: unknown[], timestamp: string, page: CallPage];

/** A call into the queue; the time and page default to now and here. */
export type Call = (method: string, args: unknown[], timestamp?: string, page?: CallPage) => void;

/** The page as a call records it. */
export const here = (): CallPage => [location.href, document.title, document.referrer];

/**
 * Where calls wait as made (time and page captured, nothing else) until they
 * are turned into stored items. Members are `__`-named: terser mangles them,
 * so this interface costs the 6 KB core next to nothing.
 */
export interface CallQueue {
  /** A public call: cut by the burst limit, then queued. */
  readonly __call: Call;
  /** The SDK's own events (a storage failure): never cut by the host's rate limit, which the very burst that filled the disk may have spent. */
  __diagnostic(method: string, args: unknown[]): void;
  /** Works the queue off; resolves when it is empty (or an outbox write failed). */
  __pump(): Promise<void>;
  /** Builds the queued calls now, in place: before logout changes who the caller is, and when the page asks for the session id. */
  __settle(): void;
  /** The page going away: everything still waiting, dispatched at once. */
  __leave(): Promise<(OutboxItem | undefined)[]>;
}

/**
 * The call queue: calls are worked off a slice at a time — ≤ 8 ms or 20
 * calls, one outbox write each — then the page gets the thread back. A page
 * calling track() 100 times in a row on a 4× throttled CPU used to spend one
 * long task on 100 contexts, 300 localStorage accesses and 100 IndexedDB
 * transactions (issue #4); a call now costs a timestamp and a push. The
 * clock bounds only the building: each call's plugins, consent gate and item
 * run after it, in the same task. Slices of 16 ms or 50 calls were tried
 * (issue #21): fewer tasks, but 60–120 ms long tasks on a throttled CPU.
 * `before` is awaited at the start of each run (the landing touch and time
 * zone every event needs); `dispatch` turns a call into its item, `store`
 * writes a slice's items in one write.
 */
export const createCallQueue = (
  build: (q: Queued) => Event | undefined,
  dispatch: (q: Queued | Event | undefined) => Promise<OutboxItem | undefined>,
  store: (items: (OutboxItem | undefined)[]) => Promise<void>,
  before: () => Promise<void>,
): CallQueue => {
  const queue: (Queued | Event | undefined)[] = [];
  // A runaway loop in the host (track() in a render loop) is cut at the call, before it can grow the queue.
  const allowBurst = tokenBucket();
  let working: Promise<void> | undefined;
  const take = (q: Queued | Event | undefined) => dispatch(q).catch(() => undefined);
  const work = () =>
    (working ??= (async () => {
      try {
        await before();
        while (queue.length) {
          const t = performance.now();
          const slice = [];
          // A hidden page has nobody to yield to (nextTask does not wait there either):
          // it takes everything at once, in one write.
          while (queue.length && (document.hidden || (slice.length < 20 && performance.now() - t < 8))) slice.push(take(queue.shift()!));
          await store(await Promise.all(slice));
          await nextTask();
        }
      } catch {
        // An outbox failure: what is left waits for the next call or flush.
      } finally {
        working = undefined;
      }
    })());
  return {
    __call: (method, args, timestamp = new Date().toISOString(), page = here()) => {
      if (allowBurst()) queue.push([method, args, timestamp, page]);
      void work();
    },
    __diagnostic: (method, args) => void (queue.push([method, args, new Date().toISOString(), here()]), work()),
    __pump: work,
    __settle: () => queue.forEach((q, i) => Array.isArray(q) && (queue[i] = build(q))),
    __leave: () => Promise.all(queue.splice(0).map(take)),
  };
};
