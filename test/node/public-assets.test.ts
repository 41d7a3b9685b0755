import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { serverStatics } from '../../server/demo-statics.js';
import { startServer, type TestServer } from '../support/start-server.js';

const root = resolve(import.meta.dirname, '../..');
const cdn = resolve(root, 'dist/cdn');

/** A real HTTP request, as curl makes it: raw headers, the body as sent (not decompressed). */
const get = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
  new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((done, fail) => {
    const req = request(url, { method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', fail);
    req.end();
  });

// The built CDN folder (npm test builds first): an entry, and a hashed chunk from the build manifest.
const manifest = JSON.parse(readFileSync(resolve(cdn, 'manifest.json'), 'utf8')) as Record<string, { isEntry: boolean }>;
const chunk = Object.keys(manifest).find((f) => !manifest[f]!.isEntry && readFileSync(resolve(cdn, f)).length > 4096)!;

describe('public assets over HTTP, as a shop on another origin loads them', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ statics: serverStatics(root) });
  });
  afterAll(() => s.close());

  it('answers any origin with CORS and Cross-Origin-Resource-Policy, on the entry, chunks and elements', async () => {
    for (const path of ['/cdn/touchpoint.js', `/cdn/${chunk}`, '/elements/chat-launcher.js', '/cdn/timezone-worker.js']) {
      const r = await get(`${s.url}${path}`, { origin: 'https://shop.example' });
      expect(r.status, path).toBe(200);
      expect(r.headers['access-control-allow-origin'], path).toBe('*');
      expect(r.headers['cross-origin-resource-policy'], path).toBe('cross-origin');
      expect(r.headers['content-type'], path).toMatch(/javascript/);
    }
    // A preflight (not needed for a module script, but a page may send one) is answered too.
    const pre = await get(`${s.url}/cdn/touchpoint.js`, { origin: 'https://shop.example', 'access-control-request-method': 'GET' }, 'OPTIONS');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
  });

  it('sends brotli or gzip as the browser accepts, the same bytes once decompressed, and much fewer of them', async () => {
    const file = readFileSync(resolve(cdn, chunk));
    const br = await get(`${s.url}/cdn/${chunk}`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.body).equals(file)).toBe(true);
    expect(br.body.length).toBeLessThan(file.length * 0.5);
    const gz = await get(`${s.url}/cdn/${chunk}`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(file)).toBe(true);
    const plain = await get(`${s.url}/cdn/${chunk}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(file)).toBe(true);
  });

  it('caches hashed chunks for a year, the entry and snippet for five minutes, and answers a revalidation with 304', async () => {
    expect((await get(`${s.url}/cdn/${chunk}`)).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const entry of ['/cdn/touchpoint.js', '/cdn/snippet.min.js', '/elements/chat-launcher.js']) {
      expect((await get(`${s.url}${entry}`)).headers['cache-control'], entry).toBe('public, max-age=300');
    }
    // Every hashed file of the folder, per the manifest, and no entry.
    for (const f of readdirSync(cdn).filter((x) => x.endsWith('.js'))) {
      const immutable = (await get(`${s.url}/cdn/${f}`, {}, 'HEAD')).headers['cache-control'] === 'public, max-age=31536000, immutable';
      expect(immutable, f).toBe(manifest[f] ? !manifest[f].isEntry : false);
    }
    for (const enc of ['br', '']) {
      const first = await get(`${s.url}/cdn/touchpoint.js`, { 'accept-encoding': enc });
      const etag = first.headers.etag as string;
      expect(etag).toBeTruthy();
      const again = await get(`${s.url}/cdn/touchpoint.js`, { 'accept-encoding': enc, 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
    }
  });

  it('keeps the API out of it: no wildcard CORS and no compression on /v1, an unknown file is a JSON 404', async () => {
    const api = await get(`${s.url}/v1/sites/demo/config`, { origin: 'https://shop.example', 'accept-encoding': 'br' });
    expect(api.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(api.headers['content-encoding']).toBeUndefined();
    const missing = await get(`${s.url}/cdn/nope-12345678.js`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString()).error.code).toBe('not_found');
    for (const path of ['/cdn/../package.json', '/cdn/%2e%2e/package.json', '/elements/..%2f..%2fpackage.json']) {
      const r = await get(`${s.url}${path}`);
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(r.body.toString(), path).not.toContain('"devDependencies"');
    }
  });
});
