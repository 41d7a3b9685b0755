import type { ConsentMethod, ConsentRecord } from '../protocol/consent-record.js';
import { scrubUrl } from '../lib/scrub-url.js';
import { clearStored } from '../lib/storage.js';
import { uuidv7 } from '../lib/uuidv7.js';
import { VERSION } from '../version.js';
import type { AttributionStore } from './attribution.js';
import type { Consent } from './consent.js';
import type { Identity } from './identity.js';
import { itemOf } from './item-of.js';
import type { OutboxItem } from './outbox.js';
import type { OutboxMirror } from './outbox-mirror.js';
import type { Session } from './session.js';

/** Events kept in memory while an opt-in visitor has not decided yet. */
const PENDING_MAX = 1_000;

/** Consent between the events and the outbox (`__` members: terser mangles them). */
export interface ConsentGate {
  /** The item to store now if `analytics` is granted; else held until a decision (undecided) or dropped (refused). */
  __add(item: OutboxItem): OutboxItem | undefined;
  /** Storage as consent allows it: ids, session and attribution persisted, the durable outbox opened. */
  __persist(): void;
  /** Logout: a new anonymous id, session and attribution; held events and every stored trace but the decision go; the decision is carried to the new visitor. */
  __forget(): Promise<void>;
}

/**
 * The consent gate. Each decision sends its consent record — for the visitor
 * as they stand at that point, none in `none` mode — and storage and the
 * held events follow it: granted, they are stored and sent; refused or
 * withdrawn, everything but the decision itself is forgotten.
 */
export const createConsentGate = (consent: Consent, identity: Identity, session: Session, attribution: AttributionStore, outbox: OutboxMirror): ConsentGate => {
  let pending: OutboxItem[] = [];
  const analytics = () => consent.granted('analytics');
  /** Storage allowed (`p`), or withdrawn: ids live in memory only. */
  const persist = (p = true) => {
    identity.__persist(p);
    session.__persist(p);
    attribution.__persist(p);
    if (p) outbox.__open();
  };
  /**
   * Clears every stored trace of this visitor except consent: the decision
   * itself, and consent records not yet sent — a withdrawal must not erase
   * the proof of the decision before it. On refusal unsent events go too; at
   * logout they stay and are delivered as the user who made them (Segment's
   * and PostHog's reset() do the same).
   */
  const forget = async (events?: boolean) => {
    if (events) {
      // Nothing re-creates the database until consent is granted again.
      persist(false);
      await outbox.__forget();
    }
    clearStored();
    consent.remember();
  };
  /** A decision, or the device's decision applied anew (`carried`, at reset). */
  const decide = (method: ConsentMethod) => {
    const state = consent.get();
    const id = uuidv7();
    const proof: ConsentRecord | undefined =
      state.mode == 'none'
        ? undefined
        : {
            id,
            anonymousId: identity.anonymousId,
            userId: identity.user.userId, // absent when anonymous
            timestamp: new Date().toISOString(),
            policyVersion: state.policyVersion,
            mode: state.mode,
            categories: state.categories,
            method,
            locale: state.locale ?? navigator.language,
            url: scrubUrl(location.href),
            gpc: state.gpc,
            library: VERSION,
            textHash: state.textHash, // absent: an `undefined` key, which JSON leaves out
          };
    const waiting = pending;
    pending = [];
    return (async () => {
      if (analytics()) {
        persist();
        await outbox.__add(waiting);
      } else await forget(true); // refused or withdrawn: everything but the decision itself…
      // …whose record, the proof of consent, is sent either way.
      if (proof) await outbox.__add([itemOf('consent', proof, id)]);
    })().catch(() => {});
  };
  consent.on('change', (_, method) => void decide(method));

  return {
    __add: (item) => {
      if (analytics()) return item;
      if (!consent.get().decided && pending.length < PENDING_MAX) pending.push(item);
      // else: refused — the event is dropped without a trace.
    },
    __persist: () => analytics() && persist(),
    __forget: async () => {
      identity.__forget();
      session.__forget();
      attribution.__forget();
      pending = [];
      await forget();
      // The device's decision stands for whoever uses it next (a banner
      // decides for the browser, as every CMP does), and the new anonymous id
      // gets a record of its own that says so: its events are never sent
      // under consent recorded only for the previous visitor.
      await (consent.get().decided ? decide('carried') : analytics() && persist());
    },
  };
};
