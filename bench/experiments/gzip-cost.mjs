// What a gzipped batch costs the main thread (issue #21): ten POSTs of a ~42 KB
// batch body (bench 04's page view and 100 events) from a page at 4× CPU
// throttling, sent plain, gzipped through Blob → CompressionStream → Blob (the
// drain until c315b14), and through Response → CompressionStream → ArrayBuffer
// (the drain since), and Blob → CompressionStream → ArrayBuffer (replay's chunks
// until the same change). Busy time is CDP TaskDuration per request, median of 6 pages
// each. `node bench/experiments/gzip-cost.mjs`
import { chromium } from 'playwright';
import { createServer } from 'node:http';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/find-chromium.mjs';

const srv = createServer((q, r) => {
  q.resume();
  q.on('end', () => r.writeHead(200, { 'access-control-allow-origin': '*' }).end('{}'));
}).listen(0, '127.0.0.1');
await new Promise((r) => srv.once('listening', r));
const url = `http://127.0.0.1:${srv.address().port}/`;
const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
const res = { plain: [], 'gzip via Blob': [], 'gzip via Response → ArrayBuffer': [], 'gzip via Blob → ArrayBuffer': [] };
let bytes = 0;
for (let run = 0; run < 6; run++)
  for (const [i, mode] of Object.keys(res).entries()) {
    const p = await browser.newPage();
    await p.goto(url);
    const cdp = await p.context().newCDPSession(p);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await cdp.send('Performance.enable');
    const busy = async () => (await cdp.send('Performance.getMetrics')).metrics.find((x) => x.name === 'TaskDuration').value;
    bytes = await p.evaluate(() => {
      const event = (i) => ({ type: 'track', event: `Bench Event ${i}`, properties: { i, plan: 'pro' }, messageId: crypto.getRandomValues(new Uint32Array(4)).join('-'), timestamp: new Date().toISOString(), context: { page: { url: location.href, path: '/bench', title: 'Bench shop' }, userAgent: navigator.userAgent, screen: { width: 1280, height: 720 } } });
      return (window.json = JSON.stringify({ protocol: 1, batch: Array.from({ length: 101 }, (_, i) => event(i)) })).length;
    });
    await p.waitForTimeout(300);
    const before = await busy();
    await p.evaluate(
      async ([i, url]) => {
        for (let n = 0; n < 10; n++) {
          const j = window.json.replace('Bench', `Bench${n}`);
          const gz = (s) => s.pipeThrough(new CompressionStream('gzip'));
          const body = i === 0 ? j : i === 1 ? await new Response(gz(new Blob([j]).stream())).blob() : i === 2 ? await new Response(gz(new Response(j).body)).arrayBuffer() : await new Response(gz(new Blob([j]).stream())).arrayBuffer();
          await fetch(url, { method: 'POST', body, headers: { 'content-type': 'text/plain' } });
        }
      },
      [i, url],
    );
    await p.waitForTimeout(300);
    res[mode].push(((await busy()) - before) * 100); // s → ms, per request
    await p.close();
  }
const median = (x) => [...x].sort((a, b) => a - b)[x.length >> 1];
console.log(`A ${Math.round(bytes / 1024)} KB body, main-thread busy time per request (ms, median of 6 pages; all):`);
for (const [k, v] of Object.entries(res)) console.log(`  ${k.padEnd(34)} ${median(v).toFixed(1).padStart(5)}   ${v.map((x) => x.toFixed(1)).join(' ')}`);
await browser.close();
srv.close();
