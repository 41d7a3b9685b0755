import { API_PREFIX } from './protocol/constants.js';
import type { ConsentMethod, ConsentRecord } from './protocol/consent-record.js';
import type { Context } from './protocol/context.js';
import type { Event } from './protocol/event.js';
import { createAttribution } from './core/attribution.js';
import { botFlag } from './core/bot-flag.js';
import { createConsent } from './core/consent.js';
import { createDelivery } from './core/delivery.js';
import { createIdentity } from './core/identity.js';
import { memoryOutbox, take as upTo, type Outbox, type OutboxItem } from './core/outbox.js';
import { pageContextFrom } from './core/page-context.js';
import { createSession } from './core/session.js';
import { Emitter } from './lib/emitter.js';
import { nextTask } from './lib/next-task.js';
import { onPageHide } from './lib/on-page-hide.js';
import { safe } from './lib/safe.js';
import { allowUrlKeys, scrubUrl } from './lib/scrub-url.js';
import { clearStored, writeStored } from './lib/storage.js';
import { tokenBucket } from './lib/token-bucket.js';
import { uuidv7 } from './lib/uuidv7.js';
import { VERSION } from './version.js';
import type { Plugin, Touchpoint, TouchpointEvents, TouchpointOptions } from './types.js';

/** localStorage key of what pages left unsent and unwritten as they went away. */
const SPILL = 'outbox';
/** The page as a call records it: href, title, referrer. */
const here = (): Queued[3] => [location.href, document.title, document.referrer];

/** Events kept in memory while an opt-in visitor has not decided yet. */
const PENDING_MAX = 1_000;

/**
 * A call as it was made: method, arguments, ISO time, and the page's
 * [href, title, referrer] — the snippet's queue entries have this shape too.
 */
export type Queued = [method: string, args: unknown[], timestamp: string, page: [href: string, title: string, referrer: string]];

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
  allowUrlKeys(options.urlAllowList);

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
   * the proof of the decision before it. On refusal unsent events go too; at
   * logout they stay and are delivered as the user who made them (Segment's
   * and PostHog's reset() do the same).
   */
  const forget = async (events?: boolean) => {
    if (events) {
      // Withdrawn: storage off, delivery from memory, where the database's
      // consent records move (earlier pages'); the database is deleted, not
      // just emptied, and nothing re-creates it until consent is granted again.
      const o = await getOutbox();
      durable = undefined;
      persist(false);
      await o.drop?.();
      await mem.remove((await mem.peek(Infinity, Infinity)).filter((i) => i.kind != 'consent').map((i) => i.id));
    }
    clearStored();
    consent.remember();
  };
  const getOutbox = () => durable ?? Promise.resolve(mem);
  const delivery = createDelivery({
    url: `${base}${API_PREFIX}/batch?site=${encodeURIComponent(options.siteKey)}`,
    outbox: getOutbox,
    outboxNow: () => mem,
    interval: options.flushInterval,
    onResult: (r, items) => emitter.emit('delivery', r, items.length),
    onRemove: (ids) => void mem.remove(ids),
    // Built at send time, never stored: the count of items evicted, exact (see Outbox).
    report: ([id, count]) => itemOf('batch', { ...build(['track', ['Touchpoint Outbox Evicted', { count }], new Date().toISOString(), here()])!, messageId: id }, id),
  });

  /**
   * Storage allowed: persist ids, move to the IndexedDB outbox, carrying over
   * what waited in memory. `persist(false)`: storage withdrawn, ids live in memory only.
   */
  const persist = (p = true) => {
    identity.setPersist(p);
    session.setPersist(p);
    attribution.setPersist(p);
    // A page's first import() costs 10–25 ms on a throttled CPU: never in the task that creates the SDK.
    // Any failure of IndexedDB, now or later, leaves this page on `mem`, which holds all its items: sending goes on.
    if (p) durable ??= nextTask()
      .then(async () => (now = await (await import('./core/idb-outbox.js')).openOutbox(cap, mem, diagnostic, SPILL)))
      .catch(() => mem);
  };
  /** The durable outbox once open. */
  let now: Outbox | undefined;
  const page = uuidv7();
  /**
   * A page going away: what is not in IndexedDB yet goes to localStorage, in
   * the same task (an IndexedDB write begun now may never commit), under a key
   * of this page's; the next page load takes it back.
   */
  const spill = async () => {
    const all = await mem.peek(Infinity, Infinity);
    const mine = upTo(now?.unwritten?.(all) ?? all, Infinity, 2 << 20);
    writeStored(`${SPILL}:${page}`, mine.length ? mine : undefined);
  };

  const itemOf = (kind: OutboxItem['kind'], body: unknown, id = uuidv7()): OutboxItem => ({ id, kind, body, bytes: JSON.stringify(body).length });
  /** Into memory at once, into the durable outbox in one write however many items. */
  const enqueue = async (all: (OutboxItem | undefined)[]) => {
    const items = all.filter((i) => i) as OutboxItem[];
    if (!items.length) return;
    void mem.put(items); // synchronous in effect: in memory before any await
    const o = await getOutbox();
    if (o != mem) await o.put(items);
    delivery.schedule();
  };

  const context = (timestamp: string, page: Queued[3]): Context => {
    const { state, isNew, windowId } = session.touch(Date.parse(timestamp));
    const decision = consent.get();
    // Whether this page load opened the session: the first touch tells.
    landing ??= isNew;
    // A session renewed mid-visit (30 min idle) starts with a direct touch.
    if (isNew && landed) attribution.record(undefined, true);
    // Absent facts are `undefined` keys, which JSON leaves out (bytes the 6 KB budget needs).
    return {
      page: pageContextFrom(...page),
      locale: navigator.language,
      userAgent: navigator.userAgent,
      screen: { width: screen.width, height: screen.height, density: devicePixelRatio },
      library: { name: 'touchpoint', version: VERSION },
      session: { id: state.id, windowId, start: isNew || undefined },
      attribution: attribution.get(),
      consent: { categoryPreferences: decision.categories, policyVersion: decision.policyVersion },
      userAgentData: (navigator as { userAgentData?: { toJSON?(): Record<string, unknown> } }).userAgentData?.toJSON?.(),
      bot,
    };
  };

  /** Turns a call into its event, in call order: identity and session as they stand at that point. */
  const build = ([method, args, timestamp, page]: Queued): Event | undefined => {
    const [a, b, c] = args as [string, Record<string, unknown> | string | undefined, { userHash?: string } | undefined];
    const common = () => ({ messageId: uuidv7(Date.parse(timestamp)), anonymousId: identity.anonymousId, userId: identity.user.userId ?? null, timestamp, context: context(timestamp, page) });
    switch (method) {
      case 'page': {
        const ctx = common();
        // Segment's page properties mirror context.page (url, path, search, hash, title, referrer).
        return { type: 'page', name: a, properties: { ...ctx.context.page, ...(b as object | undefined) }, ...ctx };
      }
      case 'track':
        return { type: 'track', event: a, properties: (b as Record<string, unknown>) ?? {}, ...common() };
      case 'identify':
        identity.identify(a, b as Record<string, unknown>);
        return { type: 'identify', traits: identity.user.traits ?? {}, userHash: c?.userHash, ...common() };
      case 'alias': {
        const previousId = (b as string | undefined) ?? identity.user.userId ?? identity.anonymousId;
        identity.identify(a);
        return { type: 'alias', previousId, userHash: c?.userHash, ...common(), userId: a };
      }
      case 'group':
        return { type: 'group', groupId: a, traits: (b as Record<string, unknown>) ?? {}, ...common() };
    }
  };

  /** A call through its event, the plugins and consent; resolves to the item to store, if any. */
  const dispatch = async (call: Queued | Event | undefined): Promise<OutboxItem | undefined> => {
    let event = (Array.isArray(call) ? build(call) : call) ?? null;
    if (event?.context) {
      // Calls made before the landing touch was known get the final attribution.
      event.context.attribution = attribution.get();
      event.context.timezone = zone;
    }
    for (const stage of ['before', 'enrichment'] as const) {
      for (const p of plugins) if (p.stage === stage && event) event = (await p.run(event)) ?? null;
    }
    if (event && options.beforeSend) event = options.beforeSend(event);
    if (!event) return;
    emitter.emit('event', event);
    for (const p of plugins) if (p.stage === 'destination') Promise.resolve(p.run(event)).catch(() => {});
    const item = itemOf('batch', event, event.messageId);
    if (analytics()) return item;
    if (!consent.get().decided && pending.length < PENDING_MAX) pending.push(item);
    // else: refused — the event is dropped without a trace.
  };

  /**
   * Calls wait here as made (time and page captured, nothing else) for `work`
   * to turn them into stored items a slice at a time: ≤ 8 ms or 20 calls, one
   * outbox write each, then the page gets the thread back. A page calling
   * track() 100 times in a row on a 4× throttled CPU used to spend one long
   * task on 100 contexts, 300 localStorage accesses and 100 IndexedDB
   * transactions (issue #4); a call now costs a timestamp and a push.
   */
  const queue: (Queued | Event | undefined)[] = [];
  let working: Promise<void> | undefined;
  const take = (q: Queued | Event | undefined) => dispatch(q).catch(() => undefined);
  const work = () =>
    (working ??= (async () => {
      try {
        await attributed;
        zone = await tz;
        while (queue.length) {
          const t = performance.now();
          const slice = [];
          // A hidden page has nobody to yield to (nextTask does not wait there either):
          // it takes everything at once, in one write.
          while (queue.length && (document.hidden || (slice.length < 20 && performance.now() - t < 8))) slice.push(take(queue.shift()!));
          await enqueue(await Promise.all(slice));
          await nextTask();
        }
      } catch {
        // An outbox failure: what is left waits for the next call or flush.
      } finally {
        working = undefined;
      }
    })());
  /**
   * Builds the queued calls now, in place (they are dispatched in turn, with
   * the time zone): before logout changes who the caller is, and when the
   * page asks for the session id.
   */
  const settle = () => queue.forEach((q, i) => Array.isArray(q) && (queue[i] = build(q)));

  /** The SDK's own events (a storage failure) are never cut by the host's rate limit: it may be spent by the very burst that filled the disk. */
  const diagnostic = (method: string, args: unknown[]) => void (queue.push([method, args, new Date().toISOString(), here()]), work());
  /** Every public call goes through here, with the time and page it was made at. */
  const call = (method: string, args: unknown[], timestamp = new Date().toISOString(), page = here()): void => {
    // A runaway loop in the host (track() in a render loop) is cut here, before it can grow the queue.
    if (allowBurst()) queue.push([method, args, timestamp, page]);
    void work();
  };

  /**
   * A decision, or the device's decision applied anew (`carried`, at reset):
   * its consent record — for the visitor as they stand now, none in `none`
   * mode — and storage and the waiting events as it allows.
   */
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
        await enqueue(waiting);
      } else await forget(true); // refused or withdrawn: everything but the decision itself…
      // …whose record, the proof of consent, is sent either way.
      if (proof) await enqueue([itemOf('consent', proof, id)]);
    })().catch(() => {});
  };
  consent.on('change', (_, method) => void decide(method));

  // Going away (from the first task on): what still waits is dispatched now, into memory, sent with keepalive, and spilled.
  onPageHide(() => void Promise.all(queue.splice(0).map(take)).then((items) => (void enqueue(items), void delivery.flushOnHide(), durable && spill())));
  if (analytics()) persist();
  let landing: boolean | undefined;
  let landed = false;
  consent.applyGpcDefault();
  let zone: string | undefined;
  const tz = nextTask().then(() => import('./lib/timezone.js')).then((m) => m.timezone(), () => undefined);
  // Start-up in separate tasks (this one; the outbox and time-zone imports; the
  // landing touch; autocapture), none long on a 4× throttled CPU: together they
  // were one of 80–150 ms (issue #4).
  const attributed = (async () => {
    await nextTask();
    // The channel classifier is a lazy chunk: most page loads are internal
    // navigations with no campaign, which bring no new touch.
    const ref = document.referrer;
    const external = ref && new URL(ref).host !== location.host;
    const touch = external || /[?&](utm_|[a-z_]*cl(ick)?id=|gbraid|wbraid|li_fat_id|epik|sccid)/.test(location.search)
      ? (await import('./core/touch-from-url.js')).touchFromUrl(scrubUrl(location.href), ref, new Date().toISOString())
      : undefined;
    attribution.record(touch, (landing ??= session.touch().isNew));
    landed = true;
  })();
  attributed.catch(() => {});

  const ready = (async () => {
    await attributed.catch(() => {});
    await nextTask();
    const auto = options.autocapture;
    if (auto !== false) void import('./autocapture/start-autocapture.js').then((m) => m.startAutocapture(call, auto ?? {}), () => {});
    await getOutbox();
    void delivery.flush();
    emitter.emit('ready');
  })();

  const tp = {
    __call: call,
    reset: async () => {
      try {
        // Calls made before logout are built as the user who made them.
        settle();
        identity.reset();
        session.reset();
        attribution.reset();
        pending = [];
        await forget();
        // The device's decision stands for whoever uses it next (a banner
        // decides for the browser, as every CMP does), and the new anonymous id
        // gets a record of its own that says so: its events are never sent
        // under consent recorded only for the previous visitor.
        await (consent.get().decided ? decide('carried') : analytics() && persist());
        emitter.emit('reset');
      } catch {
        // reset must never throw at logout.
      }
    },
    flush: async () => {
      try {
        await ready;
        await work();
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
      settle(); // a track() just before may start a new session
      return session.id;
    },
    use: (p: Plugin) => void plugins.push(p),
    // For lazy features (survey answers): queued like events, only with `analytics` consent.
    __send: (kind: OutboxItem['kind'], body: unknown) => analytics() && void enqueue([itemOf(kind, body)]).catch(() => {}),
  } as Omit<Touchpoint, 'page' | 'track' | 'identify' | 'alias' | 'group'> as Touchpoint & { __call: typeof call };
  // The event methods all take (…args) in protocol order; one guarded wrapper each.
  for (const m of ['page', 'track', 'identify', 'alias', 'group'] as const) (tp as unknown as Record<string, unknown>)[m] = safe((...a: unknown[]) => call(m, a));
  return tp;
};
