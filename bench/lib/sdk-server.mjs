// What the browser benches that load the script-tag build share: the README's
// snippet as a site pastes it, and a local server for their pages, the repo's
// files and every backend (ours, PostHog's, Segment's), answered minimally so
// that no vendor is contacted.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
/** The script-tag build the benches load (served as /tp-cdn/): dist/cdn, or `BENCH_TP_DIST` (another build, to compare). */
export const TP_DIST = process.env.BENCH_TP_DIST ?? join(ROOT, 'dist/cdn');
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html' };

/** The README's snippet, filled in: `src` the SDK's URL, `options` its options object (the data attributes' keys). */
export const snippet = (src, options) => {
  const s = /<script>\n(!function\(t,e\)[^\n]+)\n<\/script>/.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'))?.[1];
  if (!s?.includes('"SRC"') || !s.includes('{siteKey:"SITE_KEY"}')) throw new Error('bench: the snippet was not found in README.md');
  return `<script>${s.replace('"SRC"', JSON.stringify(src)).replace('{siteKey:"SITE_KEY"}', JSON.stringify(options))}</script>`;
};

/**
 * Serves `/bench/<name>.html` from `pages(name)`, `/tp-cdn/…` from TP_DIST,
 * `/<prefix>/…` from the directories of `dirs` ({ prefix: dir }), anything else from the repo. A
 * POST, or any path under /v1/ or /ph/, is a backend: accepted; our site
 * config samples replay in for site keys containing `replay`. `onPost(url,
 * body)` sees every POST body.
 */
export const serve = ({ pages, dirs: more = {}, onPost }) =>
  new Promise((res) => {
    const dirs = { 'tp-cdn': TP_DIST, ...more };
    const s = createServer(async (req, rsp) => {
      const url = new URL(req.url, 'http://x');
      const m = /^\/bench\/([\w-]+)\.html$/.exec(url.pathname);
      if (m) return rsp.writeHead(200, { 'content-type': 'text/html' }).end(pages(m[1]));
      if (req.method === 'POST' || url.pathname.startsWith('/v1/') || url.pathname.startsWith('/ph/')) {
        const chunks = [];
        for await (const c of req) chunks.push(c);
        onPost?.(url, Buffer.concat(chunks));
        const replay = url.pathname.includes('replay') ? 1 : 0;
        const body = url.pathname.includes('/config') ? JSON.stringify({ protocol: 1, siteKey: 'bench', consent: { mode: 'none', policyVersion: '1', categories: [] }, sampling: { replay, replayOnError: 0 } }) : '{"accepted":0,"duplicates":0}';
        return rsp.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end(body);
      }
      const [, prefix, rest] = /^\/([\w-]+)\/(.*)$/.exec(url.pathname) ?? [];
      const path = dirs[prefix] ? join(dirs[prefix], rest) : join(ROOT, decodeURIComponent(url.pathname));
      const file = await readFile(path).catch(() => undefined);
      if (!file) return rsp.writeHead(404).end();
      rsp.writeHead(200, { 'content-type': TYPES[extname(url.pathname)] ?? 'application/octet-stream' }).end(file);
    });
    s.listen(0, '127.0.0.1', () => res(s));
  });
