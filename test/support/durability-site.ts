import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Site {
  /** Origin of the site's pages (`http://localhost:…`), another origin than the API's. */
  origin: string;
  close(): Promise<void>;
}

/**
 * A customer's site on its own origin for the durability journeys (the pattern
 * of test/e2e/fixtures.ts: the page on another origin than the Touchpoint
 * server, a site whose allowed origins list only it). Two kinds of page:
 *
 * - `/npm?…` — the npm build with an import map, options from the query:
 *   `cap` (maxQueueBytes), `track` (calls made in the task that creates the
 *   SDK), `prefix`, `pad` (characters of random padding per event);
 * - `/tag/<n>` — the script-tag build with replay; a link to the next page
 *   and a button that throws.
 *
 * `api` is where the pages load the SDK from and send to (the fault proxy).
 */
export const startSite = async (api: string, siteKey: string): Promise<Site> => {
  const npm = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Durability</title>
<script type="importmap">{ "imports": { "idb": "${api}/vendor/idb/index.js" } }</script>
<script type="module">
  import { createTouchpoint } from '${api}/npm/index.js';
  const q = new URLSearchParams(location.search);
  const tp = (window.tp = createTouchpoint({ siteKey: '${siteKey}', endpoint: '${api}', consent: { mode: 'none' }, autocapture: false, flushInterval: 200, maxQueueBytes: Number(q.get('cap')) || undefined }));
  // Random and different per event, so that storage cannot compress it away (Chromium compresses large IndexedDB
  // values: one pad shared by 100 events made 400 KB fit in a 150 KB quota, depending on how writes were cut).
  const n = Number(q.get('track') ?? 0);
  const pads = Array.from({ length: n }, () => Array.from({ length: Number(q.get('pad') ?? 0) }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 36)]).join(''));
  for (let i = 0; i < n; i++) tp.track(q.get('prefix') + ' ' + i, pads[i] ? { pad: pads[i] } : {});
</script></head><body><h1>Durability</h1></body></html>`;
  const tag = (n: number) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page ${n}</title>
<script src="${api}/cdn/touchpoint.js" data-site-key="${siteKey}" data-endpoint="${api}" data-consent="none" data-autocapture="false" data-features="replay" type="module"></script>
</head><body><h1>Page ${n}</h1><p>Some text to record on page ${n}.</p><a id="next" href="/tag/${n + 1}">Next page</a>
<button id="boom" onclick="setTimeout(() => { throw new Error('Boom on page ${n}') })">Boom</button><input id="field" aria-label="Field"></body></html>`;
  const server = createServer((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname;
    const m = /^\/tag\/(\d+)$/.exec(path);
    if (path !== '/npm' && !m) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(m ? tag(Number(m[1])) : npm);
  });
  await new Promise<void>((r) => server.listen(0, 'localhost', r));
  return {
    origin: `http://localhost:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
};
