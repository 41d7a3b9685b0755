import { describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { drain, type DrainState } from '../../src/core/drain.js';
import { idbOutbox } from '../../src/core/idb-outbox.js';
import { itemOf } from '../../src/core/item-of.js';
import { memoryOutbox } from '../../src/core/outbox.js';
import { uuidv7 } from '../../src/lib/uuidv7.js';
import { transactions } from '../support/idb-transactions.js';

describe('draining the outbox to the real reference server', () => {
  it('sends a backlog of several batches, each item once, in two read transactions and one removal', async () => {
    const anonymousId = uuidv7();
    const items = Array.from({ length: 120 }, (_, i) => {
      const id = uuidv7();
      return itemOf('batch', { type: 'track', event: 'Backlog', properties: { i }, messageId: id, anonymousId, timestamp: new Date().toISOString() }, id);
    });
    const outbox = await idbOutbox(1e7, `tp-test-drain-${Date.now()}`);
    await outbox.put(items);
    const sent: number[] = [];
    const state: DrainState = { attempt: 0, failures: 0, retryAt: 0, schedule: () => {} };
    const options = {
      url: `${await commands.serverUrl()}/v1/batch?site=demo`,
      outbox: async () => outbox,
      outboxNow: () => memoryOutbox(1e7),
      onResult: (r: { status: number }, batch: unknown[]) => void sent.push(r.status === 200 ? batch.length : -r.status),
      onRemove: () => {},
      report: () => {
        throw new Error('no eviction here');
      },
      maxItems: 50,
    };
    const n = await transactions(() => drain(options, state));
    expect(sent).toEqual([50, 50, 20]);
    // One read of the backlog and one removal for the whole drain, not one of each a batch (each an
    // IndexedDB transaction and its reply tasks); the last read finds nothing more.
    expect(n).toEqual({ all: 3, rw: 1 }); // 2 reads, 1 removal
    expect(await outbox.peek(1e9, 1e9)).toEqual([]);
    const stored = await commands.storedItems(anonymousId);
    expect(stored.events).toHaveLength(120);
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
