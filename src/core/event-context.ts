import type { Context } from '../protocol/context.js';
import { nextTask } from '../lib/next-task.js';
import { scrubUrl } from '../lib/scrub-url.js';
import { VERSION } from '../version.js';
import type { AttributionStore } from './attribution.js';
import type { CallPage } from './call-queue.js';
import type { Consent } from './consent.js';
import type { DeviceFacts } from './device-facts.js';
import { pageContextFrom } from './page-context.js';
import type { Session } from './session.js';

/** What every event says about where, when and under which consent it happened. */
export interface EventContext {
  /** The context of a call made at `timestamp` on `page`; touches the session (a call may start one). */
  __get(timestamp: string, page: CallPage): Context;
  /** Facts known only after start-up (the landing touch, the device facts), on an event however early it was built. */
  __merge(context: Context): void;
  /** The landing touch, recorded in a task of its own (never rejects: a failure leaves the session's first touch). */
  readonly __start: Promise<void>;
  /** Resolves when events can be finished: landed, device facts read. */
  __ready(): Promise<void>;
}

/**
 * Context for events: page, device, session, attribution, consent. The
 * landing touch and the device facts are read after the SDK's first task (the
 * channel classifier and device-facts.ts are lazy chunks), so calls made
 * before them get them when they are dispatched.
 */
export const createEventContext = (session: Session, attribution: AttributionStore, consent: Consent): EventContext => {
  /** Whether this page load opened the session: the first touch tells. */
  let landing: boolean | undefined;
  let landed = false;
  let device: DeviceFacts = {};
  const facts = nextTask().then(() => import('./device-facts.js')).then((m) => m.deviceFacts(), () => device);
  const landingTouch = (async () => {
    await nextTask();
    // The channel classifier is a lazy chunk: most page loads are internal
    // navigations with no campaign, which bring no new touch.
    const ref = document.referrer;
    const external = ref && new URL(ref).host !== location.host;
    const touch = external || /[?&](utm_|[a-z_]*cl(ick)?id=|gbraid|wbraid|li_fat_id|epik|sccid)/.test(location.search)
      ? (await import('./touch-from-url.js')).touchFromUrl(scrubUrl(location.href), ref, new Date().toISOString())
      : undefined;
    attribution.__add(touch, (landing ??= session.touch().isNew));
    landed = true;
  })().catch(() => {});

  return {
    __get: (timestamp, page) => {
      const { state, isNew, windowId } = session.touch(Date.parse(timestamp));
      const decision = consent.get();
      landing ??= isNew;
      // A session renewed mid-visit (30 min idle) starts with a direct touch.
      if (isNew && landed) attribution.__add(undefined, true);
      // Absent facts are `undefined` keys, which JSON leaves out (bytes the 6 KB budget needs).
      return {
        page: pageContextFrom(...page),
        locale: navigator.language,
        userAgent: navigator.userAgent,
        screen: { width: screen.width, height: screen.height, density: devicePixelRatio },
        library: { name: 'touchpoint', version: VERSION },
        session: { id: state.id, windowId, start: isNew || undefined },
        attribution: attribution.__get(),
        consent: { categoryPreferences: decision.categories, policyVersion: decision.policyVersion },
      };
    },
    __merge: (c) => {
      // Calls made before the landing touch was known get the final attribution.
      Object.assign(c, device).attribution = attribution.__get();
    },
    __start: landingTouch,
    __ready: async () => {
      await landingTouch;
      device = await facts;
    },
  };
};
