import { beforeEach, describe, expect, it } from 'vitest';
import { commands } from 'vitest/browser';
import { createAttribution } from '../../src/core/attribution.js';
import { here } from '../../src/core/call-queue.js';
import { createConsent } from '../../src/core/consent.js';
import { createConsentGate } from '../../src/core/consent-gate.js';
import { createEventBuilder } from '../../src/core/event-builder.js';
import { createEventContext } from '../../src/core/event-context.js';
import { createIdentity } from '../../src/core/identity.js';
import { itemOf } from '../../src/core/item-of.js';
import { createOutboxMirror } from '../../src/core/outbox-mirror.js';
import { createSession } from '../../src/core/session.js';
import { until } from '../support/until.js';
import { wipeDatabase } from '../support/wipe-database.js';

beforeEach(async () => {
  localStorage.clear();
  sessionStorage.clear();
  await wipeDatabase('touchpoint');
});

/** The SDK's parts as the composition root wires them, minus the call queue: events are built and admitted by hand. */
const parts = async () => {
  const consent = createConsent({ mode: 'opt-in' });
  const identity = createIdentity();
  const session = createSession();
  const attribution = createAttribution();
  const context = createEventContext(session, attribution, consent);
  const build = createEventBuilder(identity, context);
  const outbox = createOutboxMirror(1 << 20, () => {}, {
    url: `${await commands.serverUrl()}/v1/batch?site=demo`,
    interval: 50,
    onResult: () => {},
    report: ([id]) => itemOf('batch', {}, id),
  });
  const gate = createConsentGate(consent, identity, session, attribution, outbox);
  await context.__ready();
  const event = (name: string) => {
    const e = build(['track', [name], new Date().toISOString(), here()])!;
    context.__merge(e.context!);
    return itemOf('batch', e, e.messageId);
  };
  return { consent, identity, outbox, gate, event };
};

describe('the consent gate', () => {
  it('holds events while the visitor has not decided, and on a grant stores and sends them in order, with the consent record', async () => {
    const { consent, identity, outbox, gate, event } = await parts();
    const held = [event('First'), event('Second')];
    expect(held.map((i) => gate.__add(i))).toEqual([undefined, undefined]);
    await outbox.__deliver();
    expect((await commands.storedItems(identity.anonymousId)).events).toEqual([]);

    consent.set({ analytics: true }, 'banner');
    await until(async () => (await commands.storedItems(identity.anonymousId)).events.length === 2);
    const { events, consent: records } = await commands.storedItems(identity.anonymousId);
    expect(events.map((e) => e.name)).toEqual(['First', 'Second']);
    expect(records.map((r) => r.method)).toEqual(['banner']);
    // Granted: what comes next is admitted at once.
    const next = event('Third');
    expect(gate.__add(next)).toBe(next);
  });

  it('on a refusal drops what it held and admits nothing after, but still sends the consent record', async () => {
    const { consent, identity, outbox, gate, event } = await parts();
    expect(gate.__add(event('Held, then dropped'))).toBeUndefined();
    consent.denyAll('banner');
    await until(async () => (await commands.storedItems(identity.anonymousId)).consent.length === 1);
    expect(gate.__add(event('Refused'))).toBeUndefined();
    await outbox.__deliver();
    expect((await commands.storedItems(identity.anonymousId)).events).toEqual([]);
  });
});
