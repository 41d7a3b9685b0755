import { readStored, writeStored } from '../lib/storage.js';
import { uuidv7 } from '../lib/uuidv7.js';
import { memoryOutbox, type Outbox, type OutboxItem } from '../core/outbox.js';
import { openOutbox } from '../core/idb-outbox.js';
import { KEYS, type StoredKey } from '../lib/storage-keys.js';

/** A message waiting in the outbox. */
export interface QueuedMessage {
  clientId: string;
  body: string;
}

/** As stored: the writer's anonymous id (`a`: a different visitor on this device never sees it) and the text. */
interface Stored {
  a: string;
  b: string;
}

const QUEUE_CAP = 256 * 1024;

const item = (a: string, m: QueuedMessage): OutboxItem => ({ id: m.clientId, kind: 'chat', body: { a, b: m.body } satisfies Stored, bytes: m.body.length * 2 + 64 });

/**
 * The visitor's unsent messages, kept until the server confirms them: in
 * IndexedDB when storage is allowed (a message written offline goes when the
 * visitor is back, even after a reload), in memory otherwise or from the
 * first storage failure on (quota, private mode) — never an error.
 */
export class ChatQueue {
  private __outbox: Promise<Outbox> | undefined;
  private readonly __tab = uuidv7();

  constructor(private readonly __mayStore: () => boolean) {}

  private __open(): Promise<Outbox> {
    return (this.__outbox ??= this.__mayStore() ? openOutbox(QUEUE_CAP, undefined, undefined, undefined, KEYS.indexedDB.chat) : Promise.resolve(memoryOutbox(QUEUE_CAP)));
  }

  __add(a: string, m: QueuedMessage): void {
    void this.__open().then((o) => o.put([item(a, m)])).catch(() => {});
  }

  __remove(clientIds: string[]): void {
    if (clientIds.length) void this.__open().then((o) => o.remove(clientIds)).catch(() => {});
  }

  /** The messages of visitor `a` still queued — this device's, and those tabs left as they went away. */
  async __restore(a: string): Promise<QueuedMessage[]> {
    if (!this.__mayStore()) return [];
    const queue = await this.__open();
    await this.__unspill(queue);
    return (await queue.peek(100, Infinity)).filter((q) => (q.body as Stored).a === a).map((q) => ({ clientId: q.id, body: (q.body as Stored).b }));
  }

  /**
   * A tab going away (closed right after Send, or its IndexedDB write failed):
   * the messages not confirmed yet go to localStorage in the same task — an
   * IndexedDB write begun now may never commit. `restore()` takes them back.
   */
  __spill(a: string, pending: QueuedMessage[]): void {
    if (this.__mayStore()) writeStored(`${KEYS.localStorage.chatSpill}${this.__tab}`, pending.length ? pending.map((m) => item(a, m)) : undefined);
  }

  __clearSpill(): void {
    writeStored(`${KEYS.localStorage.chatSpill}${this.__tab}`, undefined);
  }

  /** Messages tabs left in localStorage, into the queue (the same clientId twice is one message). */
  private async __unspill(queue: Outbox) {
    const keys: StoredKey[] = [];
    try {
      for (let i = 0; i < localStorage.length; i++) if (localStorage.key(i)!.startsWith(KEYS.prefix + KEYS.localStorage.chatSpill)) keys.push(localStorage.key(i)!.slice(KEYS.prefix.length) as StoredKey);
    } catch {
      return;
    }
    for (const key of keys) {
      await queue.put(readStored<OutboxItem[]>(key) ?? []);
      writeStored(key, undefined);
    }
  }
}
