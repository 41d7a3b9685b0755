import { describe, expect, it } from 'vitest';
import { idbOutbox } from '../../src/core/idb-outbox.js';
import { memoryOutbox, type Outbox } from '../../src/core/outbox.js';

const item = (i: number, bytes = 100) => ({ id: `0000-${String(i).padStart(6, '0')}`, kind: 'batch' as const, body: { i }, bytes });

const contract = (name: string, make: (cap: number) => Promise<Outbox>) =>
  describe(name, () => {
    it('returns items oldest first within the item and byte limits', async () => {
      const o = await make(1e6);
      for (let i = 0; i < 5; i++) await o.put([item(i)]);
      expect((await o.peek(3, 1e6)).map((x) => (x.body as { i: number }).i)).toEqual([0, 1, 2]);
      expect(await o.peek(10, 250)).toHaveLength(2);
      expect(await o.peek(10, 1)).toHaveLength(1); // always at least one
    });
    it('evicts the oldest items when over its byte cap, and counts them', async () => {
      const o = await make(350);
      for (let i = 0; i < 6; i++) await o.put([item(i)]);
      expect((await o.peek(10, 1e6)).map((x) => (x.body as { i: number }).i)).toEqual([3, 4, 5]);
      expect(await o.takeEvicted()).toBe(3);
      expect(await o.takeEvicted()).toBe(0);
    });
    it('removes acknowledged items, ignoring ids already gone', async () => {
      const o = await make(1e6);
      for (let i = 0; i < 3; i++) await o.put([item(i)]);
      await o.remove([item(0).id, item(1).id, 'unknown']);
      expect((await o.peek(10, 1e6)).map((x) => x.id)).toEqual([item(2).id]);
      await o.remove([item(2).id]);
      expect(await o.peek(10, 1e6)).toEqual([]);
      // The byte count follows: a full cap is available again.
      await o.put([{ ...item(3), bytes: 1e6 }]);
      expect(await o.takeEvicted()).toBe(0);
    });
    it('evicts older items for a burst, never the burst itself', async () => {
      const o = await make(350);
      await o.put([item(0), item(1)]);
      await o.put([item(2), item(3), item(4), item(5)]); // 400 B alone: over the cap, yet kept whole
      expect((await o.peek(10, 1e6)).map((x) => (x.body as { i: number }).i)).toEqual([2, 3, 4, 5]);
      expect(await o.takeEvicted()).toBe(2);
    });
  });

let db = 0;
contract('the IndexedDB outbox', (cap) => idbOutbox(cap, `tp-test-${Date.now()}-${db++}`));
contract('the memory outbox', async (cap) => memoryOutbox(cap));

describe('the IndexedDB outbox', () => {
  it('counts an item written twice once (the carry-over from memory racing a new write)', async () => {
    const o = await idbOutbox(1e6, `tp-twice-${Date.now()}`);
    await o.put([item(0), item(1), item(2)]);
    await o.put([item(2), item(3)]);
    expect((await o.peek(10, 1e6)).map((x) => (x.body as { i: number }).i)).toEqual([0, 1, 2, 3]);
    await o.remove([item(0).id, item(1).id, item(2).id, item(3).id]);
    await o.put([{ ...item(4), bytes: 1e6 }]); // the whole cap is free again
    expect(await o.takeEvicted()).toBe(0);
  });
});

describe('the IndexedDB outbox across tabs', () => {
  it('keeps exact byte accounting when two connections share the database', async () => {
    const name = `tp-shared-${Date.now()}`;
    const a = await idbOutbox(250, name);
    const b = await idbOutbox(250, name);
    await a.put([item(1)]);
    await b.put([item(2)]);
    await a.put([item(3)]); // 300 B > 250 B: item 1 goes
    expect((await b.peek(10, 1e6)).map((x) => x.id)).toEqual([item(2).id, item(3).id]);
    expect(await b.takeEvicted()).toBe(1);
  });
});
