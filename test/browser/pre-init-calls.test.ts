import { beforeEach, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import type { Queued } from '../../src/core/call-queue.js';
import { createBrowserTouchpoint } from '../../src/touchpoint.js';
import { until } from '../support/until.js';
import { wipeDatabase } from '../support/wipe-database.js';

beforeEach(async () => {
  localStorage.clear();
  sessionStorage.clear();
  await wipeDatabase('touchpoint');
});

/** An ISO time `s` seconds ago. */
const ago = (s: number) => new Date(Date.now() - s * 1000).toISOString();
const page: Queued[3] = [location.href, 'Landing', ''];

describe("the snippet's queue (calls made before the SDK loaded)", () => {
  it('is replayed in call order, each call with its own time, before the calls made after start', async () => {
    const preInit: Queued[] = [
      ['track', ['Queued first'], ago(30), page],
      ['identify', ['user-pre-init'], ago(20), page],
      // The survey chunk replays these (it owns touchpoint.survey): the SDK leaves them alone.
      ['survey.show', ['s-1'], ago(15), page],
      ['track', ['Queued second'], ago(10), page],
    ];
    const tp = createBrowserTouchpoint({ siteKey: 'demo', endpoint: await commands.serverUrl(), consent: { mode: 'none' }, autocapture: false, flushInterval: 50 }, preInit);
    tp.track('After start');
    await tp.flush();
    await until(async () => (await commands.storedItems(tp.anonymousId)).events.length >= 4, 15_000);
    const { events } = await commands.storedItems(tp.anonymousId);
    expect(events.map((e) => [e.type, e.name, e.user_id])).toEqual([
      ['track', 'Queued first', null],
      ['identify', null, 'user-pre-init'],
      ['track', 'Queued second', 'user-pre-init'],
      ['track', 'After start', 'user-pre-init'],
    ]);
    expect(events[0]!.original_timestamp).toBe(preInit[0]![2]);
    expect(events[2]!.original_timestamp).toBe(preInit[3]![2]);
  });

  it("applies a consent decision queued before load to the events queued before it, through the consent engine's own methods", async () => {
    const tp = createBrowserTouchpoint(
      { siteKey: 'demo', endpoint: await commands.serverUrl(), consent: { mode: 'opt-in' }, autocapture: false, flushInterval: 50 },
      [
        ['track', ['Before the decision'], ago(5), page],
        ['consent.grantAll', ['banner'], ago(4), page],
        // Not a method the snippet stubs, nor one of the consent engine's: ignored, and the calls after it still run.
        ['consent.nothing', [], ago(3), page],
        ['track', ['After the decision'], ago(2), page],
      ],
    );
    await tp.flush();
    await until(async () => (await commands.storedItems(tp.anonymousId)).events.length >= 2, 15_000);
    const { events, consent } = await commands.storedItems(tp.anonymousId);
    expect(events.map((e) => e.name)).toEqual(['Before the decision', 'After the decision']);
    expect(consent).toHaveLength(1);
    expect(consent[0]).toMatchObject({ method: 'banner', categories: { analytics: true } });
  });
});
