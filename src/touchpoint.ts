import { API_PREFIX } from './protocol/constants.js';
import { createAttribution } from './core/attribution.js';
import { createCallQueue, here, type Queued } from './core/call-queue.js';
import { createConsent } from './core/consent.js';
import { createConsentGate } from './core/consent-gate.js';
import { createEventBuilder } from './core/event-builder.js';
import { createEventContext } from './core/event-context.js';
import { createIdentity } from './core/identity.js';
import { itemOf } from './core/item-of.js';
import { createOutboxMirror } from './core/outbox-mirror.js';
import { createPublicApi } from './core/public-api.js';
import { runPlugins } from './core/run-plugins.js';
import { replayPreInit } from './core/replay-pre-init.js';
import { createSession } from './core/session.js';
import { createEmitter } from './lib/emitter.js';
import { nextTask } from './lib/next-task.js';
import { onPageHide } from './lib/on-page-hide.js';
import { allowUrlKeys } from './lib/scrub-url.js';
import type { Event, Plugin, Touchpoint, TouchpointEvents, TouchpointOptions } from './types.js';

/**
 * The SDK in a browser: the composition root of its parts — context, event
 * builder, plugin chain, consent gate, outbox, call queue — and the start-up
 * order. `preInit`: calls made before it loaded (the snippet's queue), run
 * in order. No method ever throws into the host page. Use
 * `createTouchpoint()`, which also covers server rendering.
 */
export const createBrowserTouchpoint = (options: TouchpointOptions, preInit: Queued[] = []): Touchpoint => {
  const emitter = createEmitter<TouchpointEvents>();
  const plugins: Plugin[] = [...(options.plugins ?? [])];
  const consent = createConsent(options.consent);
  const identity = createIdentity(options.cookieDomain);
  const session = createSession();
  const attribution = createAttribution();
  allowUrlKeys(options.urlAllowList);
  const context = createEventContext(session, attribution, consent);
  const build = createEventBuilder(identity, context);
  const outbox = createOutboxMirror(
    options.maxQueueBytes ?? 5 << 20, // 5 MB
    // Called only once the IndexedDB outbox is open, tasks after `calls` exists.
    (m, a) => calls.__diagnostic(m, a),
    {
      url: `${(options.endpoint ?? location.origin).replace(/\/$/, '')}${API_PREFIX}/batch?site=${encodeURIComponent(options.siteKey)}`,
      interval: options.flushInterval,
      onResult: (r, items) => emitter.emit('delivery', r, items.length),
      // Built at send time, never stored: the count of items evicted, exact (see Outbox).
      report: ([id, count]) => itemOf('batch', { ...build(['track', ['Touchpoint Outbox Evicted', { count }], new Date().toISOString(), here()])!, messageId: id }, id),
    },
  );
  const gate = createConsentGate(consent, identity, session, attribution, outbox);
  /** A call through its event, the plugins and consent: the item to store, if any. */
  const dispatch = async (q: Queued | Event | undefined) => {
    const e = Array.isArray(q) ? build(q) : q;
    if (e?.context) context.__merge(e.context);
    const event = await runPlugins(e ?? null, plugins, options.beforeSend, emitter);
    return event && gate.__add(itemOf('batch', event, event.messageId));
  };
  const calls = createCallQueue(build, dispatch, outbox.__add, context.__ready);

  // Going away (from the first task on): what still waits is dispatched now, into memory, sent with keepalive, and spilled.
  onPageHide(() => void calls.__leave().then(outbox.__leave));
  gate.__persist();
  consent.applyGpcDefault();
  // Start-up in separate tasks (this one; the outbox and time-zone imports; the
  // landing touch; autocapture), none long on a 4× throttled CPU: together they
  // were one of 80–150 ms (issue #4).
  const ready = (async () => {
    await context.__start;
    await nextTask();
    const auto = options.autocapture;
    if (auto !== false) void import('./autocapture/start-autocapture.js').then((m) => m.startAutocapture(calls.__call, auto ?? {}), () => {});
    await outbox.__start();
    emitter.emit('ready');
  })();

  const tp = createPublicApi(calls, gate, outbox, emitter, consent, identity, session, plugins, ready);
  replayPreInit(tp, calls.__call, preInit);
  return tp;
};
