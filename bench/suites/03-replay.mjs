// Replay overhead beside raw @rrweb/record, in one run, as ratios: the six
// mutation workloads of rrweb's own benchmark suite (our versions of them),
// long tasks, heap before / after / after stop; then bytes per minute of a
// scripted one-minute visit to the demo site through the real SDK and server.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { chromium } from 'playwright';
import { findChromium, CHROMIUM_ARGS } from '../../scripts/find-chromium.mjs';
import { serve as serveFiles, snippet } from '../lib/sdk-server.mjs';

export const title = 'Session replay (Chromium, median of 7 runs per workload)';

const ROOT = resolve(import.meta.dirname, '../..');
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.json': 'application/json' };

/** The workloads, run in the page. Each returns after its DOM work; observers run after. */
const WORKLOADS = {
  'deep nesting (1,000 levels)': `() => { let n = document.body; for (let i = 0; i < 1000; i++) n = n.appendChild(document.createElement('div')); }`,
  '1,000 × 10 inserts': `() => { for (let i = 0; i < 1000; i++) { const d = document.createElement('div'); for (let j = 0; j < 10; j++) d.appendChild(document.createElement('span')).textContent = 'x' + j; document.body.appendChild(d); } }`,
  'insert + remove (1,000 × 10 × 2)': `() => { const kept = []; for (let i = 0; i < 1000; i++) { const d = document.createElement('div'); for (let j = 0; j < 20; j++) d.appendChild(document.createElement('span')); document.body.appendChild(d); kept.push(d); } kept.forEach((d, i) => i % 2 && d.remove()); }`,
  'append chain (1,000)': `() => { let prev = document.body; for (let i = 0; i < 1000; i++) { const d = document.createElement('div'); prev.appendChild(d); prev = d; d.textContent = 'n' + i; } }`,
  'add and move (10,000)': `() => { const a = document.body.appendChild(document.createElement('section')); const b = document.body.appendChild(document.createElement('section')); for (let i = 0; i < 10000; i++) a.appendChild(document.createElement('i')); while (a.firstChild) b.appendChild(a.firstChild); }`,
  'attribute edits (10,000 nodes)': `() => { const root = document.body.appendChild(document.createElement('div')); const nodes = []; for (let i = 0; i < 10000; i++) nodes.push(root.appendChild(document.createElement('b'))); return new Promise((r) => setTimeout(() => { nodes.forEach((n, i) => n.setAttribute('data-i', String(i))); r(); }, 0)); }`,
};

const page = (recorder) => `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{"imports":{"@rrweb/record":"/node_modules/@rrweb/record/dist/record.js","idb":"/node_modules/idb/build/index.js"}}</script>
<script>globalThis.DEV_MODE = false;</script>
<script type="module">
  const which = ${JSON.stringify(recorder)};
  let stop = () => {};
  window.startRecorder = async () => {
    if (which === 'raw') {
      const { record } = await import('@rrweb/record');
      const events = [];
      stop = record({ emit: (e) => events.push(e) });
    } else if (which === 'touchpoint') {
      const { createTouchpoint } = await import('/dist/js/src/index.js');
      const { startReplay } = await import('/dist/js/src/replay/index.js');
      const tp = createTouchpoint({ siteKey: 'bench', consent: { mode: 'none' }, autocapture: false });
      await tp.ready();
      const r = startReplay(tp, { siteKey: 'bench', sessionSampleRate: 1 });
      while (r.mode !== 'session') await new Promise((res) => setTimeout(res, 10));
      stop = () => r.stop();
    }
  };
  window.stopRecorder = () => stop();
  window.longTasks = [];
  new PerformanceObserver((l) => l.getEntries().forEach((e) => longTasks.push(e.duration))).observe({ type: 'longtask', buffered: false });
  window.runWorkload = async (src) => {
    const work = (0, eval)(src);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await work();
    // rrweb records mutations in its MutationObserver callback and emits in a later task: wait for both.
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return performance.now() - t0;
  };
</script></head><body><main><h1>Bench</h1><p>Some text</p><input value="hello"></main></body></html>`;

const serve = () =>
  new Promise((res) => {
    const s = createServer(async (req, rsp) => {
      const url = new URL(req.url, 'http://x');
      const m = /^\/bench\/(raw|touchpoint|none)\.html$/.exec(url.pathname);
      if (m) return rsp.writeHead(200, { 'content-type': 'text/html' }).end(page(m[1]));
      if (url.pathname.startsWith('/v1/')) return rsp.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"not_found","message":"bench"}}');
      try {
        const body = await readFile(join(ROOT, decodeURIComponent(url.pathname)));
        rsp.writeHead(200, { 'content-type': TYPES[extname(url.pathname)] ?? 'application/octet-stream' }).end(body);
      } catch {
        rsp.writeHead(404).end();
      }
    });
    s.listen(0, '127.0.0.1', () => res(s));
  });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (n) => `${(n / 2 ** 20).toFixed(1)} MB`;

export const run = async () => {
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] });
  const RUNS = 7;
  const rows = [];
  const heaps = {};
  try {
    // BENCH_WORKLOADS=deep,chain runs a subset (exploration); the default is all six.
    const pick = process.env.BENCH_WORKLOADS?.split(',');
    for (const [name, src] of Object.entries(WORKLOADS).filter(([n]) => !pick || pick.some((p) => n.includes(p)))) {
      const times = { none: [], raw: [], touchpoint: [] };
      const longs = { none: 0, raw: 0, touchpoint: 0 };
      for (let i = 0; i < RUNS; i++) {
        // Alternate the order so neither variant always runs on a warmer machine.
        for (const v of i % 2 ? ['touchpoint', 'raw', 'none'] : ['none', 'raw', 'touchpoint']) {
          const p = await browser.newPage();
          const cdp = await p.context().newCDPSession(p);
          await p.goto(`${base}/bench/${v}.html`);
          await p.evaluate(() => window.startRecorder());
          await cdp.send('HeapProfiler.collectGarbage');
          const before = await p.evaluate(() => performance.memory.usedJSHeapSize);
          times[v].push(await p.evaluate((s) => window.runWorkload(s), src));
          longs[v] += await p.evaluate(() => window.longTasks.reduce((a, b) => a + b, 0));
          if (i === 0 && name.startsWith('1,000 × 10')) {
            await cdp.send('HeapProfiler.collectGarbage');
            const after = await p.evaluate(() => performance.memory.usedJSHeapSize);
            await p.evaluate(() => window.stopRecorder());
            await p.evaluate(() => document.body.replaceChildren());
            await new Promise((r) => setTimeout(r, 300));
            await cdp.send('HeapProfiler.collectGarbage');
            const stopped = await p.evaluate(() => performance.memory.usedJSHeapSize);
            heaps[v] = { before, after, stopped };
          }
          await p.close();
        }
      }
      const [n, r, t] = [median(times.none), median(times.raw), median(times.touchpoint)];
      rows.push(`| ${name} | ${n.toFixed(1)} ms | ${r.toFixed(1)} ms | ${t.toFixed(1)} ms | **${(t / r).toFixed(2)}** | ${(longs.raw / RUNS).toFixed(0)} / ${(longs.touchpoint / RUNS).toFixed(0)} ms |`);
    }
  } finally {
    await browser.close();
    server.close();
  }
  const heapRows = ['raw', 'touchpoint'].filter((v) => heaps[v]).map((v) => `| ${v === 'raw' ? '@rrweb/record (raw)' : 'touchpoint/replay'} | ${mb(heaps[v].before)} | ${mb(heaps[v].after)} | ${mb(heaps[v].stopped)} |`);
  const perMinute = process.env.BENCH_WORKLOADS ? '' : [await bytesPerMinute(), '', await typingMinute()].join('\n');
  return [
    'Workload time (DOM work plus the recorder\'s processing), median; ratio = touchpoint / raw (target ≤ 1.1). Touchpoint includes masking, PII options and per-node throttling; its chunk serialisation and gzip run later, off this path, every 5 s.',
    '',
    '| workload | no recorder | @rrweb/record | touchpoint/replay | ratio | long tasks (raw / ours, per run) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    'JS heap on the 1,000 × 10 workload (after a forced GC):',
    '',
    '| recorder | before | after workload | after stop |',
    '| --- | ---: | ---: | ---: |',
    ...heapRows,
    '',
    perMinute,
  ].join('\n');
};

/** A scripted minute on the demo site, through the real SDK, CDN build and reference server. */
export const bytesPerMinute = async () => {
  const { openStore } = await import('../../server/dist/js/store/open-store.js');
  const { buildApp } = await import('../../server/dist/js/app.js');
  const { demoStatics } = await import('../../server/dist/js/demo-statics.js');
  const store = await openStore({});
  const app = await buildApp({ store, statics: demoStatics(ROOT), rateLimit: { perSecond: 0, burst: 0 }, logger: false });
  await app.deps.sites.ensure('demo', 'Demo site');
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${app.server.address().port}`;
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  let gz = 0;
  let raw = 0;
  const kinds = {};
  try {
    const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    p.on('request', (r) => {
      if (!r.url().includes('/v1/replay')) return;
      const b = r.postDataBuffer();
      if (!b) return;
      gz += b.length;
      raw += gunzipSync(b).length;
      tally(kinds, b);
    });
    await p.goto(`${url}/`);
    await p.locator('tp-consent-banner').getByRole('button', { name: 'Accept all' }).click();
    const end = Date.now() + 60_000;
    const links = ['Shop', 'Checkout', 'Contact', 'Home'];
    for (let i = 0; Date.now() < end; i++) {
      await p.getByRole('link', { name: links[i % links.length], exact: true }).first().click();
      await p.mouse.move(200 + (i * 37) % 800, 200 + (i * 53) % 400, { steps: 10 });
      if (links[i % links.length] === 'Shop') await p.getByRole('button', { name: 'Add to cart' }).nth(i % 3).click();
      if (links[i % links.length] === 'Contact') await p.getByLabel('Message').pressSequentially('Where is my order?', { delay: 40 });
      await p.mouse.wheel(0, 300);
      await p.waitForTimeout(1_500);
    }
    // The open chunk: hide the page so it is cut and sent.
    await p.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await p.waitForTimeout(2_000);
  } finally {
    await browser.close();
    await app.close();
    await store.close();
  }
  return [
    'Bytes per minute: a scripted minute on the demo site (navigation every 1.5 s, mouse moves, scrolls, add-to-cart, typing), recorded by the script-tag build and uploaded to the reference server:',
    '',
    '| compressed (sent) | raw JSON | raw / compressed | target |',
    '| ---: | ---: | ---: | --- |',
    `| **${(gz / 1024).toFixed(1)} KB/min** | ${(raw / 1024).toFixed(1)} KB/min | ${(raw / gz).toFixed(1)}× | ≤ 30 KB/min (Datadog, Dynatrace publish ~100 KB/min) |`,
    '',
    '| event | count | raw JSON |',
    '| --- | ---: | ---: |',
    ...kindRows(kinds),
  ].join('\n');
};

/** A typing-heavy page: a form, the site's own chat (each message sent is appended to its list), a long list. */
const TYPING_PAGE = () => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Typing</title>
${snippet('/tp-cdn/touchpoint.js', { siteKey: 'bench-replay', consent: 'none', features: 'replay' })}
<style>body{font:16px system-ui;margin:0;display:grid;grid-template-columns:1fr 1fr 1fr;gap:16px;padding:16px}label{display:block;margin:8px 0}input,textarea{width:90%}#list{height:600px;overflow:auto}#log li{background:#eef;margin:4px;padding:4px;border-radius:8px}</style></head>
<body><form><h2>Delivery</h2>
<label>Name <input id="name" autocomplete="name"></label><label>Email <input id="email" type="email"></label>
<label>Address <input id="address"></label><label>Message <textarea id="message" rows="4"></textarea></label></form>
<section><h2>Chat</h2><ul id="log"></ul><input id="chat" aria-label="Message"></section>
<ul id="list">${Array.from({ length: 300 }, (_, i) => `<li>Item ${i}: a product with a name, a price of ${(i * 3.7).toFixed(2)} € and a short description</li>`).join('')}</ul>
<script>chat.addEventListener('keydown', (e) => { if (e.key === 'Enter' && chat.value) { log.appendChild(document.createElement('li')).textContent = chat.value; chat.value = ''; } });</script>
</body></html>`;

/**
 * Bytes per minute of a typing-heavy minute (issue #21): the form filled
 * character by character, chat messages typed and sent, the long list
 * scrolled; the script-tag build through the README's snippet, consent mode
 * none, replay sampled in. Every POST /v1/replay body counted, and the raw
 * events split by kind (rrweb's event type and incremental source).
 */
export const typingMinute = async () => {
  let gz = 0;
  const kinds = {};
  const server = await serveFiles({
    pages: TYPING_PAGE,
    onPost: (url, body) => {
      if (!url.pathname.endsWith('/replay')) return;
      gz += body.length;
      tally(kinds, body);
    },
  });
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  try {
    const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await p.goto(`http://127.0.0.1:${server.address().port}/bench/typing.html`);
    const end = Date.now() + 60_000;
    const type = async (sel, text) => {
      await p.locator(sel).fill('');
      await p.locator(sel).pressSequentially(text, { delay: 60 });
    };
    for (let i = 0; Date.now() < end; i++) {
      await type('#name', 'Ada Lovelace');
      await type('#email', 'ada@example.com');
      await type('#address', `${12 + i} Analytical Engine Street, London`);
      await type('#message', 'Please leave the parcel with the neighbour if I am out.');
      await type('#chat', `Hello, where is my order ${1000 + i}?`);
      await p.keyboard.press('Enter');
      await p.mouse.move(1000, 300, { steps: 5 });
      for (let j = 0; j < 5; j++) await p.mouse.wheel(0, 250);
    }
    // The open chunk: hide the page so it is cut and sent.
    await p.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await p.waitForTimeout(2_000);
  } finally {
    await browser.close();
    server.close();
  }
  const raw = Object.values(kinds).reduce((n, k) => n + k.bytes, 0);
  return [
    'Bytes per minute, typing-heavy (issue #21): a static page whose form is filled character by character (60 ms a key), whose own chat sends a typed message each round, and whose 300-item list is scrolled; the script-tag build through the README snippet, every `POST /v1/replay` body counted:',
    '',
    '| compressed (sent) | raw JSON | raw / compressed | target |',
    '| ---: | ---: | ---: | --- |',
    `| **${(gz / 1024).toFixed(1)} KB/min** | ${(raw / 1024).toFixed(1)} KB/min | ${(raw / gz).toFixed(1)}× | ≤ 30 KB/min |`,
    '',
    'Raw bytes by kind of event:',
    '',
    '| event | count | raw JSON |',
    '| --- | ---: | ---: |',
    ...kindRows(kinds),
  ].join('\n');
};
/** Adds a gzip chunk's events to `kinds` by rrweb event kind: count and raw JSON bytes. */
const tally = (kinds, gz) => {
  for (const e of JSON.parse(gunzipSync(gz).toString())) {
    const k = e.type === 3 ? `incremental ${INCREMENTAL[e.data.source] ?? e.data.source}` : (EVENTS[e.type] ?? `type ${e.type}`);
    (kinds[k] ??= { n: 0, bytes: 0 }).n++;
    kinds[k].bytes += JSON.stringify(e).length;
  }
};
const kindRows = (kinds) =>
  Object.entries(kinds)
    .sort((a, b) => b[1].bytes - a[1].bytes)
    .map(([k, v]) => `| ${k} | ${v.n} | ${(v.bytes / 1024).toFixed(1)} KB |`);
/** rrweb's event types and incremental sources, by number. */
const EVENTS = { 0: 'DOMContentLoaded', 1: 'load', 2: 'full snapshot', 3: 'incremental', 4: 'meta', 5: 'custom', 6: 'plugin' };
const INCREMENTAL = { 0: 'mutation', 1: 'mouse move', 2: 'mouse interaction', 3: 'scroll', 4: 'viewport resize', 5: 'input', 6: 'touch move', 7: 'media', 8: 'style sheet rule', 9: 'canvas', 10: 'font', 11: 'log', 12: 'drag', 13: 'style declaration', 14: 'selection', 15: 'adopted style sheet', 16: 'custom element' };
