import { API_PREFIX } from './protocol/constants.js';
import type { ConsentRecord } from './protocol/consent-record.js';
import type { Context, PageContext } from './protocol/context.js';
import type { Event } from './protocol/event.js';
import { createAttribution } from './core/attribution.js';
import { botFlag } from './core/bot-flag.js';
import { createConsent } from './core/consent.js';
import { createDelivery } from './core/delivery.js';
import { createIdentity } from './core/identity.js';
import { memoryOutbox, type Outbox, type OutboxItem } from './core/outbox.js';
import { pageContext } from './core/page-context.js';
import { createSession } from './core/session.js';
import { startAutocapture } from './autocapture/start-autocapture.js';
import { Emitter } from './lib/emitter.js';
import { onPageHide } from './lib/on-page-hide.js';
import { safe } from './lib/safe.js';
import { clearStored } from './lib/storage.js';
import { tokenBucket } from './lib/token-bucket.js';
import { uuidv7 } from './lib/uuidv7.js';
import { VERSION } from './version.js';
import type { Plugin, Touchpoint, TouchpointEvents, TouchpointOptions } from './types.js';

/** Events kept in memory while an opt-in visitor has not decided yet. */
const PENDING_MAX = 1_000;

/** What a call captured when it was made: replayed snippet calls keep their original time and page. */
export interface CallSite {
  timestamp?: string;
  page?: PageContext;
}

/**
 * The SDK in a browser. No method ever throws into the host page. Use
 * `createTouchpoint()`, which also covers server rendering.
 */
export const createBrowserTouchpoint = (options: TouchpointOptions): Touchpoint => {
  const emitter = new Emitter<TouchpointEvents>();
  const plugins: Plugin[] = [...(options.plugins ?? [])];
  const consent = createConsent(options.consent);
  const identity = createIdentity(options.cookieDomain);
  const session = createSession();
  const attribution = createAttribution();
  const allowBurst = tokenBucket();
  const cap = options.maxQueueBytes ?? 5 << 20; // 5 MB
  const base = (options.endpoint ?? location.origin).replace(/\/$/, '');
  const bot = botFlag();

  // Every item of this page also stays in memory until acknowledged: a page
  // going away sends them at once (keepalive) from here, because its pending
  // IndexedDB writes may never commit (a reload storm). The server dedupes.
  const mem = memoryOutbox(cap);
  let durable: Promise<Outbox> | undefined;
  let pending: OutboxItem[] = [];

  const analytics = () => consent.granted('analytics');
  /**
   * Clears every stored trace of this visitor except consent: the decision
   * itself, and consent records not yet sent — a withdrawal must not erase
   * the proof of the decision before it (logout, refusal).
   */
  const forget = async () => {
    for (const o of [mem, await getOutbox()]) await o.remove((await o.peek(Infinity, Infinity)).filter((i) => i.kind != 'consent').map((i) => i.id));
    clearStored();
    consent.remember();
  };
  const getOutbox = () => durable ?? Promise.resolve(mem);
  const delivery = createDelivery({
    url: `${base}${API_PREFIX}/batch?site=${encodeURIComponent(options.siteKey)}`,
    outbox: getOutbox,
    outboxNow: () => mem,
    interval: options.flushInterval,
    onResult: (r, items) => {
      if (r.status > 199 && r.status < 300) void mem.remove(items.map((i) => i.id));
      emitter.emit('delivery', r, items.length);
    },
  });

  /** Storage allowed: persist ids, move to the IndexedDB outbox, carrying over what waited in memory. */
  const persist = () => {
    identity.setPersist(true);
    session.setPersist(true);
    attribution.setPersist(true);
    durable ??= import('./core/idb-outbox.js').then(async ({ openOutbox }) => {
      const o = await openOutbox(cap);
      for (const it of await mem.peek(Infinity, Infinity)) await o.put(it);
      return o;
    });
  };

  const itemOf = (kind: OutboxItem['kind'], body: unknown, id = uuidv7()): OutboxItem => ({ id, kind, body, bytes: JSON.stringify(body).length });
  const enqueue = async (item: OutboxItem) => {
    void mem.put(item); // synchronous in effect: in memory before any await
    const o = await getOutbox();
    if (o != mem) await o.put(item);
    const evicted = await o.takeEvicted();
    if (evicted) call('track', ['Touchpoint Outbox Evicted', { count: evicted }]);
    delivery.schedule();
  };

  const context = (site: CallSite): Context => {
    const { state, isNew, windowId } = session.touch(site.timestamp ? Date.parse(site.timestamp) : undefined);
    // A session renewed mid-visit (30 min idle) starts with a direct touch.
    if (isNew && landed) attribution.record(undefined, true);
    // Absent facts are `undefined` keys, which JSON leaves out (bytes the 6 KB budget needs).
    return {
      page: site.page ?? pageContext(),
      locale: navigator.language,
      userAgent: navigator.userAgent,
      screen: { width: screen.width, height: screen.height, density: devicePixelRatio },
      library: { name: 'touchpoint', version: VERSION },
      session: { id: state.id, windowId, start: isNew || undefined },
      attribution: attribution.get(),
      consent: { categoryPreferences: consent.get().categories, policyVersion: consent.get().policyVersion },
      userAgentData: (navigator as { userAgentData?: { toJSON?(): Record<string, unknown> } }).userAgentData?.toJSON?.(),
      bot,
    };
  };

  const dispatch = async (event: Event | null) => {
    // Calls made before the landing touch is known get the final attribution.
    await attributed;
    // The time zone comes from a worker (lib/timezone.ts): filled in here, off the call's task.
    if (event?.context) {
      event.context.attribution = attribution.get();
      event.context.timezone = await tz;
    }
    for (const stage of ['before', 'enrichment'] as const) {
      for (const p of plugins) if (p.stage === stage && event) event = (await p.run(event)) ?? null;
    }
    if (event && options.beforeSend) event = options.beforeSend(event);
    if (!event || !allowBurst()) return;
    emitter.emit('event', event);
    const item = itemOf('batch', event, event.messageId);
    const c = consent.get();
    if (analytics()) await enqueue(item);
    else if (!c.decided && pending.length < PENDING_MAX) pending.push(item);
    // else: refused — the event is dropped without a trace.
    for (const p of plugins) if (p.stage === 'destination') Promise.resolve(p.run(event)).catch(() => {});
  };

  /** Every public call goes through here, with the time and page it was made at. */
  const call = (method: string, args: unknown[], site: CallSite = {}): void => {
    const timestamp = site.timestamp ?? new Date().toISOString();
    const [a, b, c] = args as [string, Record<string, unknown> | string | undefined, Record<string, unknown> | undefined];
    const user = identity.user;
    const common = () => ({ messageId: uuidv7(Date.parse(timestamp)), anonymousId: identity.anonymousId, userId: user.userId ?? null, timestamp, context: context(site) });
    let event: Event | undefined;
    switch (method) {
      case 'page': {
        const ctx = common();
        const p = ctx.context.page!;
        // Segment's page properties mirror context.page (url, path, search, hash, title, referrer).
        const props = { ...p, ...(b as object | undefined) };
        event = { type: 'page', name: a, properties: props, ...ctx };
        break;
      }
      case 'track':
        event = { type: 'track', event: a, properties: (b as Record<string, unknown>) ?? {}, ...common() };
        break;
      case 'identify': {
        identity.identify(a, b as Record<string, unknown>);
        const hash = (c as { userHash?: string } | undefined)?.userHash;
        event = { type: 'identify', traits: identity.user.traits ?? {}, userHash: hash, ...common() };
        break;
      }
      case 'alias': {
        const previousId = (b as string | undefined) ?? user.userId ?? identity.anonymousId;
        const hash = (c as { userHash?: string } | undefined)?.userHash;
        identity.identify(a);
        event = { type: 'alias', previousId, userHash: hash, ...common(), userId: a };
        break;
      }
      case 'group':
        event = { type: 'group', groupId: a, traits: (b as Record<string, unknown>) ?? {}, ...common() };
        break;
    }
    if (event) void dispatch(event).catch(() => {});
  };

  consent.on('change', (state, method) => {
    const record: ConsentRecord | undefined =
      state.mode === 'none'
        ? undefined
        : {
            id: uuidv7(),
            anonymousId: identity.anonymousId,
            userId: identity.user.userId ?? null,
            timestamp: new Date().toISOString(),
            policyVersion: state.policyVersion,
            mode: state.mode,
            categories: state.categories,
            method,
            locale: state.locale ?? navigator.language,
            url: pageContext().url,
            gpc: state.gpc,
            library: VERSION,
            ...(state.textHash ? { textHash: state.textHash } : {}),
          };
    const waiting = pending;
    pending = [];
    void (async () => {
      if (analytics()) {
        persist();
        for (const it of waiting) await enqueue(it);
      } else await forget(); // refused or withdrawn: everything but the decision itself…
      // …whose record, the proof of consent, is sent either way.
      if (record) await enqueue(itemOf('consent', record, record.id));
    })().catch(() => {});
  });

  // Whether this page load opened the session, read before any call can touch it.
  if (analytics()) persist();
  const landingSession = session.touch().isNew;
  let landed = false;
  consent.applyGpcDefault();
  const tz = import('./lib/timezone.js').then((m) => m.timezone(), () => undefined);
  const attributed = (async () => {
    // The channel classifier is a lazy chunk: most page loads are internal
    // navigations with no campaign, which bring no new touch.
    const ref = document.referrer;
    const external = ref && new URL(ref).host !== location.host;
    const touch = external || /[?&](utm_|[a-z_]*cl(ick)?id=|gbraid|wbraid|li_fat_id|epik|sccid)/.test(location.search)
      ? (await import('./core/touch-from-url.js')).touchFromUrl(location.href, ref, new Date().toISOString())
      : undefined;
    attribution.record(touch, landingSession);
    landed = true;
  })();
  attributed.catch(() => {});

  const ready = (async () => {
    await attributed.catch(() => {});
    onPageHide(() => void delivery.flushOnHide());
    if (options.autocapture !== false) startAutocapture(call, options.autocapture ?? {});
    await getOutbox();
    void delivery.flush();
    emitter.emit('ready');
  })();

  const tp = {
    __call: call,
    reset: async () => {
      try {
        identity.reset();
        session.reset();
        attribution.reset();
        pending = [];
        await forget();
        if (analytics()) persist();
        emitter.emit('reset');
      } catch {
        // reset must never throw at logout.
      }
    },
    flush: async () => {
      try {
        await ready;
        await delivery.retryNow();
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
      return session.id;
    },
    use: (p: Plugin) => void plugins.push(p),
    // For lazy features (survey answers): queued like events, only with `analytics` consent.
    __send: (kind: OutboxItem['kind'], body: unknown) => analytics() && void enqueue(itemOf(kind, body)).catch(() => {}),
  } as Omit<Touchpoint, 'page' | 'track' | 'identify' | 'alias' | 'group'> as Touchpoint & { __call: typeof call };
  // The event methods all take (…args) in protocol order; one guarded wrapper each.
  for (const m of ['page', 'track', 'identify', 'alias', 'group'] as const) (tp as unknown as Record<string, unknown>)[m] = safe((...a: unknown[]) => call(m, a));
  return tp;
};
