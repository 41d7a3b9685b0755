import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { createTouchpoint } from '../../src/index.js';
import { startReplay, type Replay } from '../../src/replay/index.js';
import { siteConfig } from '../../src/lib/site-config.js';
import type { Touchpoint } from '../../src/types.js';
import { until } from '../support/until.js';
import { wipeDatabase as wipe } from '../support/wipe-database.js';


let tp: Touchpoint;
let replay: Replay | undefined;
const start = async (o: Parameters<typeof startReplay>[1], consent: 'none' | 'opt-in' | 'opt-out' = 'none') => {
  const endpoint = await commands.serverUrl();
  tp = createTouchpoint({ siteKey: 'demo', endpoint, consent: { mode: consent }, autocapture: false });
  await tp.ready();
  replay = startReplay(tp, { siteKey: 'demo', endpoint, ...o });
  return replay;
};
/**
 * Resolves just after replay has taken its sampling decision: replay awaits the
 * page's one site-config promise (src/lib/site-config.ts caches it) and decides in
 * that continuation; reactions run in the order they were registered, so ours runs
 * after it — an exact point, where a sleep would only guess.
 */
const sampled = async () => void (await siteConfig(await commands.serverUrl(), 'demo'));
/** How many records an IndexedDB database holds, over all its stores (0 when it does not exist yet). */
const storedRecords = async (name: string) => {
  // Never open a database that does not exist: that would create it, empty, under the SDK's feet.
  if (!(await indexedDB.databases()).some((d) => d.name === name)) return 0;
  return new Promise<number>((resolve) => {
    const req = indexedDB.open(name);
    req.onerror = () => resolve(0);
    req.onsuccess = () => {
      const db = req.result;
      const stores = [...db.objectStoreNames];
      if (!stores.length) return db.close(), resolve(0);
      const tx = db.transaction(stores, 'readonly');
      let n = 0;
      for (const s of stores) tx.objectStore(s).count().onsuccess = (e) => (n += (e.target as IDBRequest<number>).result);
      tx.oncomplete = () => (db.close(), resolve(n));
    };
  });
};
const mutate = (n = 5) => {
  const box = document.body.appendChild(document.createElement('div'));
  for (let i = 0; i < n; i++) box.appendChild(document.createElement('p')).textContent = `line ${i}`;
};

beforeEach(async () => {
  localStorage.clear();
  sessionStorage.clear();
  await Promise.all(['touchpoint', 'touchpoint-replay', 'touchpoint-replay-buffer'].map(wipe));
});
afterEach(() => replay?.stop());

describe('replay', () => {
  it('records a sampled session and uploads its chunks in order, each once, starting with a full snapshot', async () => {
    const r = await start({ sessionSampleRate: 1 });
    await until(() => r.mode === 'session');
    mutate();
    document.dispatchEvent(new Event('visibilitychange'));
    await until(async () => (await commands.replayChunks(tp.sessionId!)).length >= 1, 15_000);
    mutate();
    await until(async () => (await commands.replayChunks(tp.sessionId!)).length >= 2, 12_000);
    const chunks = await commands.replayChunks(tp.sessionId!);
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
    expect(chunks[0]!.events.slice(0, 2).map((e) => e.type)).toEqual([4, 2]); // Meta, FullSnapshot
    const times = chunks.flatMap((c) => c.events.map((e) => e.timestamp));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('does not record without replay consent, nor out of the sample', async () => {
    const refused = await start({ sessionSampleRate: 1 }, 'opt-in');
    expect(refused.mode).toBe('off');
    replay?.stop();
    const unsampled = await start({ sessionSampleRate: 0, onErrorSampleRate: 0 });
    await sampled();
    expect(unsampled.mode).toBe('off');
  });

  it('opens no replay database for a session out of the sample, and no on-error buffer for one recorded in full', async () => {
    const opened: string[] = [];
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function (this: IDBFactory, ...a: Parameters<typeof open>) {
      opened.push(a[0]);
      return open.apply(this, a);
    };
    try {
      const unsampled = await start({ sessionSampleRate: 0, onErrorSampleRate: 0 });
      await sampled();
      expect(unsampled.mode).toBe('off');
      expect(opened.filter((n) => n.startsWith('touchpoint-replay'))).toEqual([]);
      replay?.stop(); // (stop() forgets: it deletes both databases, opening them for that)
      opened.length = 0;
      const full = await start({ sessionSampleRate: 1 });
      await until(() => full.mode === 'session');
      await until(() => opened.includes('touchpoint-replay'));
      expect(opened).not.toContain('touchpoint-replay-buffer');
    } finally {
      IDBFactory.prototype.open = open;
    }
  });

  it('in buffer mode keeps the last moments locally and uploads them only when an error happens', async () => {
    const r = await start({ sessionSampleRate: 0, onErrorSampleRate: 1, bufferMs: 60_000 });
    await until(() => r.mode === 'buffer');
    mutate();
    document.dispatchEvent(new Event('visibilitychange')); // cuts a chunk: into the buffer, not the network
    await until(async () => (await storedRecords('touchpoint-replay-buffer')) > 0);
    expect(await commands.replayChunks(tp.sessionId!)).toEqual([]);
    window.dispatchEvent(new ErrorEvent('error', { message: 'boom' }));
    await until(async () => (await commands.replayChunks(tp.sessionId!)).length >= 1, 15_000);
    expect(r.mode).toBe('session');
    const first = (await commands.replayChunks(tp.sessionId!))[0]!;
    expect(first.events.some((e) => e.type === 2)).toBe(true);
  });

  it('stops and forgets unsent chunks when replay consent is withdrawn', async () => {
    const r = await start({ sessionSampleRate: 1 }, 'opt-out');
    await until(() => r.mode === 'session');
    tp.consent.set({ replay: false });
    expect(r.mode).toBe('off');
  });
});

describe('replay masking of elements marked later', () => {
  it('masks a [data-tp-mask] element that appears after recording started', async () => {
    const r = await start({ sessionSampleRate: 1 });
    await until(() => r.mode === 'session');
    const late = document.body.appendChild(document.createElement('p'));
    late.setAttribute('data-tp-mask', '');
    late.textContent = 'late-secret-text-k2k2';
    const plain = document.body.appendChild(document.createElement('p'));
    plain.textContent = 'plain-visible-text';
    document.dispatchEvent(new Event('visibilitychange'));
    await until(async () => JSON.stringify(await commands.replayChunks(tp.sessionId!)).includes('plain-visible-text'), 12_000);
    const all = JSON.stringify(await commands.replayChunks(tp.sessionId!));
    expect(all).not.toContain('late-secret-text-k2k2');
    expect(all).toContain('*********************');
    late.remove();
    plain.remove();
  });
});

describe('replay console capture (optional)', () => {
  it('records console messages when asked, scrubbed of PII like everything else', async () => {
    const r = await start({ sessionSampleRate: 1, recordConsole: true });
    await until(() => r.mode === 'session');
    // The console plugin is its own chunk and starts with the recorder: log until a message is recorded.
    await until(async () => {
      console.info('checkout step 2 for ada.lovelace@example.com');
      document.dispatchEvent(new Event('visibilitychange'));
      return JSON.stringify(await commands.replayChunks(tp.sessionId!)).includes('checkout step 2');
    }, 12_000, 250);
    const all = JSON.stringify(await commands.replayChunks(tp.sessionId!));
    expect(all).toContain('rrweb/console@1');
    expect(all).not.toContain('ada.lovelace@example.com');
  });
});
