import { API_PREFIX } from '../protocol/constants.js';
import type { Outbox } from '../core/outbox.js';
import { send } from '../core/transport.js';
import { backoff } from '../protocol/backoff.js';
import { KEYS } from '../lib/storage-keys.js';

/** A stored chunk: its identity as the query of `POST /v1/replay`, and its gzip bytes. */
export interface ChunkBody {
  q: string;
  data: ArrayBuffer;
}

/**
 * Sends replay chunks from their outbox one request each (binary gzip bodies
 * go to their own endpoint, so not in event batches), oldest first, through
 * the SDK's one transport. A chunk leaves the outbox only when the server
 * acknowledges it (or refuses it for good); the server stores each
 * (session, window, seq) once, so a repeat after a crash is harmless.
 */
export const uploadChunks = (endpoint: string, outbox: Outbox) => {
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;

  const drain = async () => {
    for (;;) {
      if (navigator.onLine === false) return;
      const [item] = await outbox.peek(1, Infinity);
      if (!item) return;
      const c = item.body as ChunkBody;
      const r = await send(`${endpoint}${API_PREFIX}/replay?${c.q}&encoding=gzip`, c.data);
      if ((r.status >= 200 && r.status < 300) || (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429)) {
        attempt = 0;
        await outbox.remove([item.id]);
      } else {
        clearTimeout(timer);
        timer = setTimeout(flush, backoff(attempt++, r.retryAfterMs));
        return;
      }
    }
  };

  /** Uploads what waits; one tab at a time (Web Locks), like event delivery. */
  const flush = (): Promise<void> =>
    (running ??= (async () => {
      try {
        const locks = navigator.locks;
        if (locks) await locks.request(KEYS.lock.replay, { ifAvailable: true }, (lock) => lock && drain());
        else await drain();
      } catch {
        clearTimeout(timer);
        timer = setTimeout(flush, backoff(attempt++));
      } finally {
        running = undefined;
      }
    })());

  addEventListener('online', () => void flush());
  return { flush, stop: () => clearTimeout(timer) };
};
