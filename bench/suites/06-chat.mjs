// The chat launcher's cost before intent and its live latency, against the real
// reference server (PGlite in memory) and Chromium:
//  - main thread with 4× CPU throttling, page with <tp-chat-launcher> vs the same page without (median of 7);
//  - bytes the launcher adds before the visitor shows intent (transferred, and gzip);
//  - agent send → visitor render latency on loopback, p50 / p99 over 100 messages.
// Figures, not a timed test.
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { chromium } from 'playwright';
import { findChromium, CHROMIUM_ARGS } from '../../scripts/find-chromium.mjs';
import { buildApp } from '../../server/dist/js/app.js';
import { openStore } from '../../server/dist/js/store/open-store.js';
import { demoStatics } from '../../server/dist/js/demo-statics.js';
import { ensureAgents } from '../../server/dist/js/agents.js';

export const title = 'Chat launcher: cost before intent, agent → visitor latency';

const ROOT = resolve(import.meta.dirname, '../..');
const RUNS = 7;
const MESSAGES = 100;

const page = (withChat) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bench shop</title></head>
<body><header><a href="/">Home</a> <a href="/shop">Shop</a></header><main><h1>A static page</h1>
${Array.from({ length: 30 }, (_, i) => `<p>Paragraph ${i} with <a href="#p${i}">a link</a> and <button>Button ${i}</button></p>`).join('')}
</main>${withChat ? '<tp-chat-launcher site-key="bench"></tp-chat-launcher><script type="module" src="/elements/chat-launcher.js"></script>' : ''}
<script>window.__seen = {}; document.addEventListener('tp-chat-message', (e) => { const b = e.detail.body; requestAnimationFrame(() => (window.__seen[b] = Date.now())); });</script>
</body></html>`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;

export const run = async () => {
  const store = await openStore({});
  const app = await buildApp({ store, statics: demoStatics(ROOT), rateLimit: { perSecond: 0, burst: 0 } });
  await app.deps.sites.ensure('bench', 'Bench');
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${app.server.address().port}`;
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const open = async (withChat, throttle) => {
    const context = await browser.newContext();
    await context.route(`${base}/bench/*.html`, (r) => r.fulfill({ contentType: 'text/html', body: page(r.request().url().includes('chat')) }));
    const p = await context.newPage();
    const cdp = await context.newCDPSession(p);
    if (throttle) await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await cdp.send('Performance.enable');
    const bodies = [];
    p.on('response', async (r) => {
      if (!r.url().includes('/bench/')) bodies.push(await r.body().catch(() => Buffer.alloc(0)));
    });
    await p.addInitScript(() => {
      window.__long = [];
      new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(e.duration))).observe({ type: 'longtask', buffered: true });
    });
    await p.goto(`${base}/bench/${withChat ? 'chat' : 'none'}.html`);
    return { context, p, cdp, bodies };
  };
  try {
    // Main thread and bytes before intent.
    const script = { none: [], chat: [] };
    const longTasks = { none: [], chat: [] };
    let bytes = { raw: 0, gzip: 0, requests: 0 };
    for (let i = 0; i < RUNS; i++) {
      for (const v of ['none', 'chat']) {
        const { context, p, cdp, bodies } = await open(v === 'chat', true);
        if (v === 'chat') await p.waitForFunction(() => customElements.get('tp-chat-launcher') && document.querySelector('tp-chat-launcher').shadowRoot?.querySelector('button'));
        await p.waitForTimeout(2_000); // idle work
        const { metrics } = await cdp.send('Performance.getMetrics');
        script[v].push(metrics.find((m) => m.name === 'ScriptDuration').value * 1000);
        longTasks[v].push(await p.evaluate(() => window.__long.filter((d) => d > 50).length));
        if (v === 'chat' && i === 0) bytes = { raw: bodies.reduce((n, b) => n + b.length, 0), gzip: bodies.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0), requests: bodies.length };
        await context.close();
      }
    }

    // Latency: a visitor with the panel open, an agent posting through the API.
    const { context, p } = await open(true, false);
    await p.locator('tp-chat-launcher').getByRole('button', { name: /Chat with us/ }).click();
    await p.getByRole('textbox', { name: 'Write a message…' }).fill('talk to a person');
    await p.getByRole('textbox', { name: 'Write a message…' }).press('Enter');
    await p.getByText('Connecting you with a person', { exact: false }).or(p.getByText('No one is available', { exact: false })).first().waitFor();
    const creds = await ensureAgents(store, '');
    const login = await fetch(`${base}/v1/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: creds.email, password: creds.password }) });
    const cookie = login.headers.get('set-cookie').split(';')[0];
    const { rows } = await store.query('SELECT id FROM conversations ORDER BY created_at DESC LIMIT 1');
    const lat = [];
    for (let i = 0; i < MESSAGES; i++) {
      const body = `bench ${i}`;
      const t0 = Date.now();
      await fetch(`${base}/v1/agent/conversations/${rows[0].id}/messages`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ clientId: `b${i}`, body }) });
      await p.waitForFunction((b) => window.__seen[b] !== undefined, body, { polling: 5 });
      lat.push((await p.evaluate((b) => window.__seen[b], body)) - t0);
    }
    await context.close();

    const own = Math.max(0.1, median(script.chat) - median(script.none));
    return [
      `Page scripting (CDP ScriptDuration) with the launcher vs the same page without, 4× CPU throttling, median of ${RUNS}; bytes are every response the launcher adds before intent (the panel is not loaded).`,
      '',
      '| | page scripting | long tasks > 50 ms |',
      '| --- | ---: | ---: |',
      `| page without a widget | ${median(script.none).toFixed(0)} ms | ${median(longTasks.none)} |`,
      `| page with \`<tp-chat-launcher>\` | ${median(script.chat).toFixed(0)} ms (+${own.toFixed(0)} ms; ÷ Intercom's ≈ 1,400 ms = ${(own / 1400).toFixed(3)}) | ${median(longTasks.chat)} |`,
      '',
      `Bytes before intent: ${bytes.requests} requests, ${kb(bytes.raw)} transferred uncompressed by the reference server, ${kb(bytes.gzip)} gzip (the page alone: 0 — it has no other script). Anchors from ../shared/research/chat.md: Intercom ≈ 1.4 s of main thread per page, Chatwoot ≈ 300 KB widget.`,
      '',
      `Agent send → visitor render (SSE on loopback, panel open, ${MESSAGES} messages): p50 ${pct(lat, 50)} ms, p99 ${pct(lat, 99)} ms, max ${Math.max(...lat)} ms.`,
    ].join('\n');
  } finally {
    await browser.close();
    await app.close();
    await store.close();
  }
};
