import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { drain, type DrainState } from '../../src/core/drain.js';
import { idbOutbox } from '../../src/core/idb-outbox.js';
import { itemOf } from '../../src/core/item-of.js';
import { memoryOutbox, type Outbox } from '../../src/core/outbox.js';
import { uuidv7 } from '../../src/lib/uuidv7.js';
import { transactions } from '../support/idb-transactions.js';

describe('draining the outbox to the real reference server', () => {
  it('sends a backlog of several batches, each item once, in two read transactions and one removal', async () => {
    const anonymousId = uuidv7();
    const items = Array.from({ length: 120 }, (_, i) => backlogItem(anonymousId, { i }));
    const outbox = await idbOutbox(1e7, `tp-test-drain-${Date.now()}`);
    await outbox.put(items);
    const sent: number[] = [];
    // Batches of 50, as page hide makes them: several of them in the backlog.
    const options = { ...drainOptions(outbox, sent, await commands.serverUrl()), maxItems: 50 };
    const n = await transactions(() => drain(options, idleState()));
    expect(sent).toEqual([50, 50, 20]);
    // One read of the backlog and one removal for the whole drain, not one of each a batch (each an
    // IndexedDB transaction and its reply tasks); the last read finds nothing more.
    expect(n).toEqual({ all: 3, rw: 1 }); // 2 reads, 1 removal
    expect(await outbox.peek(1e9, 1e9)).toEqual([]);
    const stored = await commands.storedItems(anonymousId);
    expect(stored.events).toHaveLength(120);
  });

  it('sends a backlog of 600 events in batches as big as the server takes, not of 50', async () => {
    // One item short of the server's 500: the room an eviction report may take.
    expect(await drainBacklog(600, (i) => ({ i }))).toEqual({ sent: [499, 101], stored: 600 });
  });

  it('keeps a batch of three-byte characters within the 500 KB the server takes', async () => {
    // 9,000 "€" an event: 9 K UTF-16 units, 27 KB of UTF-8; 17 of them fill the batch's 160 K units.
    expect(await drainBacklog(20, (i) => ({ i, text: '€'.repeat(9_000) }))).toEqual({ sent: [17, 3], stored: 20 });
  });

  it("sends a page's start-up batch (~35 KB) plain and a backlog over 64 KB gzipped", async () => {
    const urls: string[] = [];
    const real = globalThis.fetch;
    globalThis.fetch = (input, init) => (urls.push(String(input)), real(input, init));
    try {
      // The page view and 100 events of bench 04 come to ~35 KB of JSON; 300 of them to over 64 KB.
      const props = (i: number) => ({ i, plan: 'pro', note: 'x'.repeat(150) });
      expect(await drainBacklog(101, props)).toEqual({ sent: [101], stored: 101 });
      expect(await drainBacklog(300, props)).toEqual({ sent: [300], stored: 300 });
    } finally {
      globalThis.fetch = real;
    }
    expect(urls.map((u) => new URL(u).searchParams.get('encoding'))).toEqual([null, 'gzip']);
  });

  it('sends in the same drain the eviction report made while the one it acknowledged waited', async () => {
    const anonymousId = uuidv7();
    const event = (name: string, properties: object, id = uuidv7()) => itemOf('batch', { type: 'track', event: name, properties, messageId: id, anonymousId, timestamp: new Date().toISOString() }, id);
    const outbox = memoryOutbox(1_000);
    const put = (n: number) => outbox.put(Array.from({ length: n }, (_, i) => ({ ...event('Over', { i }), bytes: 300 })));
    await put(3);
    await put(2); // 2 evicted (never a write's own items): the first report, [id, 2]
    await put(3); // 3 more evicted while it waits: counted for the next one
    const reported: number[] = [];
    const state: DrainState = { attempt: 0, failures: 0, retryAt: 0, schedule: () => {} };
    await drain(
      {
        url: `${await commands.serverUrl()}/v1/batch?site=demo`,
        outbox: async () => outbox,
        outboxNow: () => outbox,
        onResult: () => {},
        onRemove: () => {},
        report: ([id, count]) => (reported.push(count), event('Touchpoint Outbox Evicted', { count }, id)),
      },
      state,
    );
    // Every eviction reported by the time the drain resolves (the server stores each report once).
    expect(reported).toEqual([2, 3]);
    expect(outbox.evicted()).toBeUndefined();
    expect(await outbox.peek(1e9, 1e9)).toEqual([]);
  });
});

const backlogItem = (anonymousId: string, properties: object) => {
  const id = uuidv7();
  return itemOf('batch', { type: 'track', event: 'Backlog', properties, messageId: id, anonymousId, timestamp: new Date().toISOString() }, id);
};
/** Drains `n` events of `properties(i)` from a memory outbox with the SDK's own batch sizes: each batch's length, and what the server stored. */
const drainBacklog = async (n: number, properties: (i: number) => object) => {
  const anonymousId = uuidv7();
  const outbox = memoryOutbox(1e8);
  await outbox.put(Array.from({ length: n }, (_, i) => backlogItem(anonymousId, properties(i))));
  const sent: number[] = [];
  await drain(drainOptions(outbox, sent, await commands.serverUrl()), idleState());
  return { sent, stored: (await commands.storedItems(anonymousId)).events.length };
};
const idleState = (): DrainState => ({ attempt: 0, failures: 0, retryAt: 0, schedule: () => {} });
/** The SDK's own batch sizes (no `maxItems`/`maxBytes`); `sent` gets each batch's length, or −status. */
const drainOptions = (outbox: Outbox, sent: number[], server: string) => ({
  url: `${server}/v1/batch?site=demo`,
  outbox: async () => outbox,
  outboxNow: () => outbox,
  onResult: (r: { status: number }, batch: unknown[]) => void sent.push(r.status === 200 ? batch.length : -r.status),
  onRemove: () => {},
  report: (): never => {
    throw new Error('no eviction here');
  },
});
