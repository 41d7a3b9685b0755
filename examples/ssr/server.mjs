#!/usr/bin/env node
// `node examples/ssr/server.mjs` (after `npm run build`, with `npm start` running on :8787):
// renders the page in Node on every request, on :8788, and proxies the rest to the reference server.
import { createServer } from 'node:http';
import { render } from './render.mjs';

const upstream = process.env.TOUCHPOINT_URL ?? 'http://localhost:8787';
createServer(async (req, res) => {
  if (req.method === 'GET' && (req.url === '/' || req.url?.startsWith('/?'))) return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(render({ path: req.url }));
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(await req.toArray());
  const r = await fetch(upstream + req.url, { method: req.method, headers: { 'content-type': req.headers['content-type'] ?? 'text/plain' }, body });
  res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/octet-stream' }).end(Buffer.from(await r.arrayBuffer()));
}).listen(8788, () => console.log('SSR example on http://localhost:8788'));
