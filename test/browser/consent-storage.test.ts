import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { createTouchpoint } from '../../src/index.js';
import { startReplay, type Replay } from '../../src/replay/index.js';
import type { Touchpoint } from '../../src/types.js';
import { until } from '../support/until.js';
import { wipeDatabase as wipe } from '../support/wipe-database.js';

// An auditor's view of the device's storage (issue #20): which databases
// exist, which keys and cookies are set — after a withdrawal and after reset().

const DATABASES = ['touchpoint', 'touchpoint-replay', 'touchpoint-replay-buffer'];
const databases = async () => (await indexedDB.databases()).map((d) => d.name).filter((n) => DATABASES.includes(n!));
const ourKeys = () => [...Object.keys(localStorage), ...Object.keys(sessionStorage)].filter((k) => k.startsWith('tp:')).sort();

let tp: Touchpoint;
let replay: Replay | undefined;
let endpoint: string;
// The reference server's first start (PGlite) belongs in a hook, not in a test's time.
beforeAll(async () => void (endpoint = await commands.serverUrl()));
const make = async (cookieDomain?: string) => {
  tp = createTouchpoint({ siteKey: 'demo', endpoint, consent: { mode: 'opt-in' }, autocapture: false, flushInterval: 50, cookieDomain });
  await tp.ready();
  return tp;
};

beforeEach(async () => {
  replay?.stop();
  replay = undefined;
  localStorage.clear();
  sessionStorage.clear();
  document.cookie = `tp_anon=;domain=${location.hostname};path=/;max-age=0`;
  await Promise.all(DATABASES.map(wipe));
});

// An earlier test's SDK stays alive on the page: withdrawn, it lets go of its database instead of re-creating it under the next test.
afterEach(async () => {
  tp.consent.denyAll('api');
  await until(async () => (await databases()).length === 0);
});

describe('consent withdrawal', () => {
  it('deletes the databases, the stored ids and the id cookie, still delivers its consent record, and re-creates nothing until consent is granted again', async () => {
    await make(location.hostname);
    tp.consent.grantAll('banner');
    replay = startReplay(tp, { siteKey: 'demo', endpoint, sessionSampleRate: 1 });
    tp.identify('ada');
    tp.track('Granted');
    await tp.flush();
    document.body.appendChild(document.createElement('p')).textContent = 'recorded';
    // The outbox and the recording's; a session recorded in full never opens the on-error buffer (#21).
    await until(async () => (await databases()).sort().join() === 'touchpoint,touchpoint-replay');
    expect(document.cookie).toContain('tp_anon=');
    const visitor = tp.anonymousId;

    tp.consent.denyAll('banner');
    await until(async () => (await databases()).length === 0);
    // The withdrawal's record is the proof of the decision: it is delivered although storage is gone.
    await until(async () => (await commands.storedItems(visitor)).consent.length === 2);
    expect((await commands.storedItems(visitor)).consent.map((c) => c.categories.analytics)).toEqual([true, false]);

    // The page goes on calling the SDK: nothing of it is stored anywhere.
    tp.identify('ada', { plan: 'pro' });
    tp.track('After withdrawal');
    document.body.appendChild(document.createElement('p')).textContent = 'not recorded';
    await tp.flush();
    // The SDK has no pending work left (flushed, replay stopped): a database re-created would exist by now.
    expect(await databases()).toEqual([]);
    expect(ourKeys()).toEqual(['tp:v1:consent']);
    expect(document.cookie).not.toContain('tp_anon=');
    expect((await commands.storedItems(visitor)).events.map((e) => e.name)).not.toContain('After withdrawal');

    // Granted again: storage comes back.
    tp.consent.grantAll('banner');
    tp.track('Granted again');
    await tp.flush();
    await until(async () => (await databases()).includes('touchpoint'));
  });
});

describe('reset()', () => {
  it("keeps the device's decision and sends the new anonymous visitor a consent record of its own, before its events", async () => {
    await make();
    tp.consent.grantAll('banner');
    tp.identify('ada');
    tp.track('As Ada');
    await tp.flush();
    const before = tp.anonymousId;
    await until(async () => (await commands.storedItems(before)).consent.length === 1);

    await tp.reset();
    const after = tp.anonymousId;
    expect(after).not.toBe(before);
    expect(tp.consent.get()).toMatchObject({ decided: true, needsPrompt: false });
    tp.track('As someone new');
    await tp.flush();
    await until(async () => (await commands.storedItems(after)).events.length === 1);
    const { consent, events } = await commands.storedItems(after);
    expect(consent).toHaveLength(1);
    expect(consent[0]).toMatchObject({ method: 'carried', categories: { analytics: true } });
    expect(events[0]!.name).toBe('As someone new');
    // Storage as a fresh visitor who accepted: the decision, the new id, the session — no trace of Ada.
    expect(ourKeys()).toContain('tp:v1:consent');
    expect(localStorage.getItem('tp:v1:anon')).toBe(JSON.stringify(after));
    expect(localStorage.getItem('tp:v1:user')).toBeNull();
    expect(await databases()).toEqual(['touchpoint']);
  });

  it('after a refusal, records the refusal for the new visitor and stores nothing but the decision', async () => {
    await make();
    tp.consent.denyAll('banner');
    await until(async () => (await commands.storedItems(tp.anonymousId)).consent.length === 1);
    await tp.reset();
    const after = tp.anonymousId;
    tp.track('Never sent');
    await tp.flush();
    await until(async () => (await commands.storedItems(after)).consent.length === 1);
    expect((await commands.storedItems(after)).consent[0]).toMatchObject({ method: 'carried', categories: { analytics: false } });
    expect((await commands.storedItems(after)).events).toHaveLength(0);
    expect(ourKeys()).toEqual(['tp:v1:consent']);
    expect(await databases()).toEqual([]);
  });
});
