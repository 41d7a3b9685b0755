// The SDK's whole main-thread cost beside PostHog and Segment, in one
// interleaved run (issue #21): the same static page, Chromium with 4× CPU
// throttling, init + first page view + 100 track() calls, then 3 s idle.
// Per variant: scripting (CDP ScriptDuration) and main-thread busy time (CDP
// TaskDuration: every task, style, layout, IndexedDB replies, GC) above a page
// with no SDK, long tasks, IndexedDB operations (counted by wrapping the
// IndexedDB prototypes), and the input delay of clicks made while the SDK
// starts. Then one traced run per variant says where the busy time goes.
// Network answers come from a local server and Playwright routes, so no
// vendor backend is contacted. Ratios, never a timed test.
//
// `BENCH_TP_DIST=/path/to/a/dist/cdn` measures that build instead of
// dist/cdn; `BENCH_TP_EXTRA='{"before":{"name":"…","dist":"/old/dist/cdn","options":{"autocapture":"false"}}}'`
// adds Touchpoint variants (another build, other snippet options) to the same
// interleaved run: a before/after, or an ablation, in one run.
// `BENCH_RUNS=n` changes the number of runs (default 7); `BENCH_VARIANTS=none,touchpoint,…`
// runs only those (none and posthog are always kept: the baseline and the anchor).
import { chromium } from 'playwright';
import { findChromium, CHROMIUM_ARGS } from '../../scripts/find-chromium.mjs';
import { serve as serveFiles, snippet } from '../lib/sdk-server.mjs';

export const title = 'Tracking core on the main thread (Chromium, 4× CPU throttling, median of 7)';

/** Extra Touchpoint variants: { key: { name, dist?, options? } }. */
const EXTRA = JSON.parse(process.env.BENCH_TP_EXTRA ?? '{}');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const CALLS = (fn) => `for (let i = 0; i < 100; i++) ${fn}('Bench Event ' + i, { i, plan: 'pro' });`;

/** Resolves once the real SDK replaced the snippet's stub and is ready, then reports done. */
const TP_DONE = `<script>
  ${CALLS('touchpoint.track')}
  (function wait() { window.touchpoint.ready ? window.touchpoint.ready().then(() => window.__finish()) : setTimeout(wait, 25); })();
</script>`;
const tp = (cdn, o) => `${snippet(`/${cdn}/touchpoint.js`, { siteKey: 'bench', consent: 'none', ...o })}${TP_DONE}`;

const VARIANTS = {
  none: { name: '(no SDK)', html: `<script>window.__track = () => {}; ${CALLS('__track')} window.__finish();</script>` },
  touchpoint: { name: 'Touchpoint (snippet, consent none)', html: tp('tp-cdn') },
  ...Object.fromEntries(Object.entries(EXTRA).map(([k, x]) => [k, { name: x.name ?? k, html: tp(x.dist ? `x-${k}` : 'tp-cdn', x.options) }])),
  banner: { name: 'Touchpoint + consent banner (opt-in, first visit)', html: tp('tp-cdn', { consent: 'opt-in' }) },
  replay: { name: 'Touchpoint + replay (consent none, sampled)', html: tp('tp-cdn', { siteKey: 'bench-replay', features: 'replay' }) },
  posthog: {
    name: 'PostHog (posthog-js module, autocapture on, no recording)',
    html: `<script type="module">
  import posthog from '/node_modules/posthog-js/dist/module.js';
  posthog.init('phc_bench', { api_host: location.origin + '/ph', autocapture: true, capture_pageview: true, disable_session_recording: true, advanced_disable_flags: true });
  ${CALLS('posthog.capture')}
  window.__finish();
</script>`,
  },
  segment: {
    name: 'Segment analytics-next (standalone)',
    html: `<script>
  // Segment's snippet, reduced: a queueing stub the standalone build replays.
  window.analytics = []; window.analytics._writeKey = 'bench'; window.analytics.SNIPPET_VERSION = '5.2.0';
  for (const m of ['page', 'track', 'ready']) window.analytics[m] = (...a) => (window.analytics.push([m, ...a]), window.analytics);
  window.analytics.page();
  ${CALLS('analytics.track')}
  window.analytics.ready(() => window.__finish());
</script>
<script src="/node_modules/@segment/analytics-next/dist/umd/standalone.js"></script>`,
  },
};

// The SDKs load in <head> (as their snippets say); the page's own click handler is the first thing in <body>.
const page = (v) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench shop</title>${VARIANTS[v].html}</head>
<body><header><button id="buy" style="position:fixed;left:0;top:0;width:200px;height:60px">Add to cart</button> <a href="/">Home</a> <a href="/shop">Shop</a></header><main><h1>A static page</h1>
${Array.from({ length: 30 }, (_, i) => `<p>Paragraph ${i} with <a href="#p${i}">a link</a> and <button>Button ${i}</button></p>`).join('')}
</main></body></html>`;

export const serve = () => serveFiles({ pages: page, dirs: Object.fromEntries(Object.entries(EXTRA).map(([k, x]) => [`x-${k}`, x.dist])) });

/** Installed before any script of the page: long tasks, IndexedDB operations, and the page's own click handler. */
const probes = () => {
  window.__long = [];
  new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(e.duration))).observe({ type: 'longtask', buffered: true });
  // IndexedDB operations, whoever makes them (idb's proxies call these prototypes).
  const c = (window.__idb = { open: 0, tx: 0, rw: 0, req: 0, cursor: 0 });
  const wrap = (proto, names, count) => {
    for (const n of names) {
      const f = proto?.[n];
      if (f)
        proto[n] = function (...a) {
          count(a);
          return f.apply(this, a);
        };
    }
  };
  wrap(IDBFactory.prototype, ['open', 'deleteDatabase'], () => c.open++);
  wrap(IDBDatabase.prototype, ['transaction'], (a) => (c.tx++, a[1] === 'readwrite' && c.rw++));
  const requests = ['add', 'put', 'get', 'getAll', 'getAllKeys', 'getKey', 'delete', 'clear', 'count', 'openCursor', 'openKeyCursor'];
  wrap(IDBObjectStore.prototype, requests, () => c.req++);
  wrap(IDBIndex.prototype, requests, () => c.req++);
  wrap(IDBCursor.prototype, ['continue', 'advance', 'continuePrimaryKey', 'delete', 'update'], () => c.cursor++);
  // The page's click handler, first of all listeners: its start minus the event's time is the input delay
  // (Event Timing's processingStart − timeStamp).
  window.__clicks = [];
  addEventListener('click', (e) => e.isTrusted && window.__clicks.push(performance.now() - e.timeStamp), { capture: true });
};

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
const median = (xs) => quantile(xs, 0.5);

/** A new context and page with the routes, throttling and probes every variant gets. */
const open = async (browser, port) => {
  const context = await browser.newContext();
  // Segment's settings answered locally. `protocol: 'http'`: without it Segment posts to https://127.0.0.1,
  // fails TLS and retries ~200 times in the window measured (seconds of scripting that are not its real cost).
  await context.route('https://cdn.segment.com/**', (r) =>
    r.fulfill({ contentType: 'application/json', body: JSON.stringify({ integrations: { 'Segment.io': { apiKey: 'bench', apiHost: `127.0.0.1:${port}/v1/seg`, protocol: 'http' } }, plan: {}, edgeFunction: {} }) }),
  );
  await context.route('https://api.segment.io/**', (r) => r.fulfill({ status: 200, body: '{}' }));
  const p = await context.newPage();
  const cdp = await context.newCDPSession(p);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await cdp.send('Performance.enable');
  let finished;
  const done = new Promise((r) => (finished = r));
  await p.exposeFunction('__finish', () => finished());
  await p.addInitScript(probes);
  return { context, p, cdp, done };
};

/** One load: init, page, 100 calls, ready, 3 s idle. */
const load = async (browser, base, port, v) => {
  const { context, p, cdp, done } = await open(browser, port);
  try {
    await p.goto(`${base}/bench/${v}.html`);
    await Promise.race([done, new Promise((_, no) => setTimeout(() => no(new Error(`bench 04: ${v} never finished`)), 30_000))]);
    await p.waitForTimeout(3_000); // lazy chunks, idle work, the first flush
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (n) => metrics.find((m) => m.name === n).value * 1000;
    const probe = await p.evaluate(() => ({ long: window.__long.filter((d) => d > 50), idb: window.__idb }));
    return { script: metric('ScriptDuration'), busy: metric('TaskDuration'), ...probe };
  } finally {
    await context.close();
  }
};

/** Another load, with 20 clicks on the page's button from the moment the page commits: their input delays. */
const clicks = async (browser, base, port, v) => {
  const { context, p } = await open(browser, port);
  try {
    await p.goto(`${base}/bench/${v}.html`, { waitUntil: 'commit' });
    for (let i = 0; i < 20; i++) {
      await p.mouse.click(100, 30);
      await new Promise((r) => setTimeout(r, 50));
    }
    return await p.evaluate(() => window.__clicks);
  } finally {
    await context.close();
  }
};

/**
 * One traced load: the renderer main thread's self time by trace event
 * (style, layout, compile, GC, IndexedDB replies…), and its top-level tasks by kind.
 */
const trace = async (browser, base, port, v) => {
  const { context, p, done } = await open(browser, port);
  try {
    await browser.startTracing(p, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8', 'blink', 'mojom', 'disabled-by-default-v8.gc'] });
    await p.goto(`${base}/bench/${v}.html`);
    await done;
    await p.waitForTimeout(3_000);
    const { traceEvents } = JSON.parse((await browser.stopTracing()).toString());
    return selfTimes(traceEvents);
  } finally {
    await context.close();
  }
};

/**
 * The busiest CrRendererMain thread of a trace: self time per trace event
 * name, and its top-level tasks by what they ran — the script whose code ran
 * first in the task (a lazy chunk, the page), flagged when the task was an
 * IndexedDB reply; else IndexedDB or network replies with no script, or other.
 */
export const selfTimes = (events) => {
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`);
  const by = new Map(mains.map((k) => [k, []]));
  for (const e of events) if ((e.ph === 'X' || e.ph === 'B' || e.ph === 'E') && by.has(`${e.pid}:${e.tid}`)) by.get(`${e.pid}:${e.tid}`).push(e);
  // The main thread that parsed the bench page (another renderer may be busier: an error page, a chrome:// one); else the busiest.
  const page = events.find((e) => by.has(`${e.pid}:${e.tid}`) && (e.args?.beginData?.url ?? e.args?.data?.url ?? '').includes('/bench/'));
  const thread = (page && by.get(`${page.pid}:${page.tid}`)) ?? [...by.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  // B/E pairs become complete events; then a stack gives each event its self time.
  const spans = [];
  const open = [];
  for (const e of thread.sort((a, b) => a.ts - b.ts)) {
    if (e.ph === 'X') spans.push({ name: e.name, ts: e.ts, end: e.ts + (e.dur ?? 0), e });
    else if (e.ph === 'B') open.push(e);
    else {
      const b = open.pop();
      if (b) spans.push({ name: b.name, ts: b.ts, end: e.ts, e: b });
    }
  }
  spans.sort((a, b) => a.ts - b.ts || b.end - a.end);
  const self = new Map();
  const tasks = new Map();
  const stack = [];
  let root;
  const add = (s) => {
    self.set(s.label, (self.get(s.label) ?? 0) + s.self);
    if (s !== root) return;
    const k = root.url ? `script ${root.url}${root.idb ? ' (in an IndexedDB reply)' : ''}` : root.idb ? 'IndexedDB reply, no script' : root.net ? 'network, no script' : root.timer ? 'timer → promise continuations (nextTask slices)' : 'other (IPC, frames, lifecycle)';
    const t = tasks.get(k) ?? { n: 0, ms: 0 };
    t.n++;
    t.ms += (root.end - root.ts) / 1000;
    tasks.set(k, t);
  };
  for (const s of spans) {
    while (stack.length && stack.at(-1).end <= s.ts) add(stack.pop());
    s.self = s.end - s.ts;
    const parent = stack.at(-1);
    if (parent) parent.self -= Math.min(s.self, parent.end - s.ts);
    else root = s;
    // (root: the top-level task this span belongs to, classified as its descendants show up.)
    // Mojo tasks are named by their interface (the issue's "Receive mojo reply" of blink.mojom.IDB…).
    const mojo = s.e.args?.chrome_mojo_event_info?.mojo_interface_tag ?? s.e.args?.chrome_mojo_event_info?.watcher_notify_interface_tag;
    s.label = mojo ? `${s.name} (${mojo})` : s.name;
    if (mojo?.includes('IDB')) root.idb = true;
    if (mojo?.includes('URLLoader') || s.name.startsWith('Resource')) root.net = true;
    if (s.name === 'TimerFire') root.timer = true;
    const url = s.e.args?.data?.url;
    // The script a task runs first, by file (directory and hash dropped: the same chunk across builds).
    if (!root.url && url && /^(FunctionCall|EvaluateScript|v8\.compile|v8\.evaluateModule)/.test(s.name)) root.url = url.replace(/^https?:\/\/[^/]+/, '').replace(/^\/(tp-cdn|x-[\w-]+)\//, 'SDK ').replace(/-[\w-]{8}\.js$/, '.js');
    stack.push(s);
  }
  while (stack.length) add(stack.pop());
  return { self: new Map([...self].map(([k, us]) => [k, us / 1000])), tasks };
};

export const run = async () => {
  const server = await serve();
  const port = server.address().port;
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const only = process.env.BENCH_VARIANTS?.split(',');
  const names = Object.keys(VARIANTS).filter((v) => !only || ['none', 'posthog', ...only].includes(v));
  const r = Object.fromEntries(names.map((v) => [v, { loads: [], delays: [] }]));
  const traces = {};
  try {
    // Interleaved: run i loads every variant once, so a noisy neighbour on the shared machine hits all alike.
    for (let i = 0; i < RUNS; i++) {
      for (const v of names) {
        r[v].loads.push(await load(browser, base, port, v));
        r[v].delays.push(...(await clicks(browser, base, port, v)));
      }
    }
    for (const v of names) traces[v] = await trace(browser, base, port, v);
  } finally {
    await browser.close();
    server.close();
  }

  const ms = (x) => `${Math.round(x).toLocaleString('en')} ms`;
  const col = (v, k) => r[v].loads.map((l) => l[k]);
  const b0 = { script: median(col('none', 'script')), busy: median(col('none', 'busy')) };
  /** Median above the no-SDK page, with the spread (min–max of the per-run values above that median). */
  const over = (v, k) => {
    const xs = col(v, k).map((x) => x - b0[k]);
    return { med: median(xs), lo: Math.min(...xs), hi: Math.max(...xs) };
  };
  const fmt = ({ med, lo, hi }) => `+${Math.round(med)} ms (${Math.round(lo)}…${Math.round(hi)})`;
  const ph = { script: over('posthog', 'script').med, busy: over('posthog', 'busy').med };
  const long = (v) => {
    const l = col(v, 'long');
    return `${median(l.map((x) => x.length))} · ${l.filter((x) => !x.length).length}/${RUNS} · ${ms(Math.max(0, ...l.flat()))}`;
  };
  const idb = (v) => {
    const x = (k) => median(col(v, 'idb').map((c) => c[k]));
    return `${x('open')} · ${x('tx')} (${x('rw')} rw) · ${x('req')} · ${x('cursor')}`;
  };
  const delay = (v) => `${Math.round(quantile(r[v].delays, 0.5))} / ${Math.round(quantile(r[v].delays, 0.95))} ms (${r[v].delays.length})`;
  const rows = names.map((v) => {
    if (v === 'none') return `| ${VARIANTS[v].name} | ${ms(b0.script)} | ${ms(b0.busy)} | — | — | ${long(v)} | ${idb(v)} | ${delay(v)} |`;
    const s = over(v, 'script');
    const t = over(v, 'busy');
    return `| ${VARIANTS[v].name} | ${fmt(s)} | ${fmt(t)} | ${(s.med / ph.script).toFixed(2)} | ${(t.med / ph.busy).toFixed(2)} | ${long(v)} | ${idb(v)} | ${delay(v)} |`;
  });

  // Where the busy time goes: self time above the no-SDK page's, by trace event, for each Touchpoint variant and PostHog.
  const traced = names.filter((v) => v !== 'none' && v !== 'segment');
  const keys = [...new Set(traced.flatMap((v) => [...traces[v].self.keys()]))];
  const extra = (v, k) => (traces[v].self.get(k) ?? 0) - (traces.none.self.get(k) ?? 0);
  const top = keys.sort((a, b) => Math.max(...traced.map((v) => extra(v, b))) - Math.max(...traced.map((v) => extra(v, a)))).slice(0, 16);
  const taskKinds = [...new Set(traced.flatMap((v) => [...traces[v].tasks.keys()]))]
    .sort((a, b) => Math.max(...traced.map((v) => traces[v].tasks.get(b)?.ms ?? 0)) - Math.max(...traced.map((v) => traces[v].tasks.get(a)?.ms ?? 0)))
    .slice(0, 14);
  const cnt = (v, k) => {
    const t = traces[v].tasks.get(k);
    return t ? `${t.n} · ${Math.round(t.ms)} ms` : '0';
  };

  return [
    `Scripting (CDP ScriptDuration) and main-thread busy time (CDP TaskDuration: every task of the renderer's main thread — script, style, layout, paint, GC, IndexedDB and network replies) above a page without an SDK: median of ${RUNS} interleaved runs, (min…max) of the runs. Ratio = this ÷ PostHog's (lower is better). Long tasks > 50 ms: median per run · runs with none · longest seen. IndexedDB: databases opened · transactions (read-write) · requests · cursor steps, median per load, counted by wrapping the IndexedDB prototypes. Input delay: the page's click handler's start − the event's timeStamp (Event Timing's processingStart − timeStamp), 20 clicks on a button from the moment the page commits, p50 / p95 over all runs (clicks delivered). The SDKs load in <head>; Touchpoint through the README's snippet.`,
    '',
    '| SDK | scripting over none | busy over none | scripting ÷ PostHog | busy ÷ PostHog | long tasks | IndexedDB open · tx · req · cursor | input delay p50 / p95 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `Where the busy time goes: one traced load per variant (categories devtools.timeline, toplevel, v8, blink, mojom), self time of each trace event on the renderer's main thread above the no-SDK page's. "RunTask" self time is task work no finer event names (mostly IPC dispatch). Single runs: indicative, not medians.`,
    '',
    `| trace event | ${traced.map((v) => VARIANTS[v].name).join(' | ')} |`,
    `| --- |${traced.map(() => ' ---: |').join('')}`,
    ...top.map((k) => `| ${k} | ${traced.map((v) => `${extra(v, k) >= 0 ? '+' : ''}${extra(v, k).toFixed(1)} ms`).join(' | ')} |`),
    '',
    `Top-level tasks of the same traced loads by what they ran (count · total): the script whose code ran first in the task (the SDK's lazy chunks by file), marked when the task was an IndexedDB reply (its JS is then the outbox's continuation: idb's wrappers, then whatever awaited the write, such as the next slice of events); else replies with no script. No SDK: ${[...traces.none.tasks.values()].reduce((n, t) => n + t.n, 0)} tasks, ${Math.round([...traces.none.tasks.values()].reduce((n, t) => n + t.ms, 0))} ms.`,
    '',
    `| task | ${traced.map((v) => VARIANTS[v].name).join(' | ')} |`,
    `| --- |${traced.map(() => ' ---: |').join('')}`,
    ...taskKinds.map((k) => `| ${k} | ${traced.map((v) => cnt(v, k)).join(' | ')} |`),
  ].join('\n');
};
