import { hostSends } from '../host/host-registry.js';
import type { Emitter } from '../lib/emitter.js';
import { safe } from '../lib/safe.js';
import type { Plugin, Touchpoint, TouchpointEvents } from '../types.js';
import type { CallQueue } from './call-queue.js';
import type { Consent } from './consent.js';
import type { ConsentGate } from './consent-gate.js';
import type { Identity } from './identity.js';
import { itemOf } from './item-of.js';
import type { OutboxMirror } from './outbox-mirror.js';
import type { Session } from './session.js';

/**
 * The SDK's public object, each member a part's: the event methods queue
 * (one guarded wrapper each), `reset` goes through the consent gate, `flush`
 * through the queue and the outbox. No member ever throws into the host page.
 * `ready`: the SDK's start-up (touchpoint.ts).
 */
export const createPublicApi = (
  calls: CallQueue,
  gate: ConsentGate,
  outbox: OutboxMirror,
  emitter: Emitter<TouchpointEvents>,
  consent: Consent,
  identity: Identity,
  session: Session,
  plugins: Plugin[],
  ready: Promise<void>,
): Touchpoint => {
  const tp = {
    reset: async () => {
      try {
        // Calls made before logout are built as the user who made them.
        calls.__settle();
        await gate.__forget();
        emitter.emit('reset');
      } catch {
        // reset must never throw at logout.
      }
    },
    flush: async () => {
      try {
        await ready;
        await calls.__pump();
        await outbox.__deliver();
      } catch {
        // never throws
      }
    },
    on: ((name, fn) => emitter.on(name, fn)) as Touchpoint['on'],
    consent,
    ready: () => ready.catch(() => {}),
    get anonymousId() {
      return identity.anonymousId;
    },
    get sessionId() {
      calls.__settle(); // a track() just before may start a new session
      return session.id;
    },
    use: (p: Plugin) => void plugins.push(p),
  } as Omit<Touchpoint, 'page' | 'track' | 'identify' | 'alias' | 'group'> as Touchpoint;
  // The event methods all take (…args) in protocol order.
  for (const m of ['page', 'track', 'identify', 'alias', 'group'] as const) (tp as unknown as Record<string, unknown>)[m] = safe((...a: unknown[]) => calls.__call(m, a));
  // For lazy features (survey answers), through their Host: queued like events, only with `analytics` consent.
  hostSends.set(tp, (kind, body) => consent.granted('analytics') && void outbox.__add([itemOf(kind, body)]).catch(() => {}));
  return tp;
};
