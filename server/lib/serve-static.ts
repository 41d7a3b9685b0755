import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import fastifyCompress from '@fastify/compress';
import fastifyCors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX } from 'touchpoint/protocol';

export interface StaticOptions {
  /** URL prefix, ending in `/`. */
  prefix: string;
  root: string;
  /**
   * Public assets a page on any origin loads (script tags, module chunks,
   * elements): `Access-Control-Allow-Origin: *` and
   * `Cross-Origin-Resource-Policy: cross-origin`. They hold no secret, and
   * module scripts are fetched in CORS mode, so a per-site list would only
   * break sites whose origins changed; data is what the allow-list guards.
   */
  public?: boolean;
  /** Content-hashed files: cached for a year, never revalidated. */
  immutable?: (file: string) => boolean;
  /** Seconds the other files may be used without revalidating (ETag); 0: revalidate every time. */
  maxAge?: number;
  /** Extra headers per file (e.g. a CSP for the strict-CSP demo). */
  headers?: (file: string) => Record<string, string>;
  /** File served for extension-less paths that don't exist (single-page apps' client routes). */
  spaFallback?: string;
  /** Rewrites HTML files before sending (the demo pages get the current snippet). */
  transformHtml?: (html: string) => string;
}

const notFound = (reply: FastifyReply) => reply.code(404).send({ error: { code: 'not_found', message: 'No such file.' } });

/**
 * Serves each folder with Fastify's own plugins, each in its own scope:
 * `@fastify/static` (ETag, 304, ranges, and the `.br`/`.gz` files the build
 * writes beside each asset), `@fastify/compress` for what has no such file
 * (rewritten HTML, the npm build), `@fastify/cors` for public assets.
 * Scoped so that none of it touches the API (its event streams must not be
 * buffered by a compressor, its CORS is per site).
 */
export async function registerStatics(app: FastifyInstance, list: readonly StaticOptions[]): Promise<void> {
  for (const o of list) {
    const prefix = o.prefix.replace(/\/$/, '');
    await app.register(
      async (scope) => {
        await scope.register(fastifyCompress, { encodings: ['br', 'gzip'], threshold: 1024 });
        if (o.public) {
          await scope.register(fastifyCors, { origin: '*', methods: ['GET', 'HEAD'], maxAge: 86_400, strictPreflight: false });
          scope.addHook('onSend', async (_req, reply) => {
            reply.header('cross-origin-resource-policy', 'cross-origin');
          });
        }
        const custom = !!(o.spaFallback || o.transformHtml);
        await scope.register(fastifyStatic, {
          root: resolve(o.root),
          prefix: '/',
          // Folders with client routes or rewritten pages get the handler below, which calls sendFile.
          serve: !custom,
          preCompressed: true,
          cacheControl: false,
          etag: true,
          lastModified: true,
          redirect: true,
          dotfiles: 'ignore',
          setHeaders: (reply, path) => {
            const file = path.replace(/\.(br|gz)$/, '');
            reply.header('cache-control', cacheControl(o, file));
            reply.header('x-content-type-options', 'nosniff');
            for (const [k, v] of Object.entries(o.headers?.(file) ?? {})) reply.header(k, v);
          },
        });
        if (custom) scope.get('/*', (req, reply) => serveApp(o, prefix, req, reply));
      },
      { prefix },
    );
  }
}

const cacheControl = (o: StaticOptions, file: string) =>
  o.immutable?.(basename(file)) ? 'public, max-age=31536000, immutable' : o.maxAge ? `public, max-age=${o.maxAge}` : 'no-cache';

/**
 * A folder with client routes or rewritten HTML: pages are read, rewritten
 * and sent with an ETag of what was sent; everything else goes to sendFile.
 */
async function serveApp(o: StaticOptions, prefix: string, req: FastifyRequest, reply: FastifyReply) {
  const root = resolve(o.root);
  const rel = (req.params as { '*': string })['*'] ?? '';
  // The API is never a client route: an unknown /v1/ path is the API's 404, not the demo page.
  if (`${prefix}/${rel}`.startsWith(`${API_PREFIX}/`)) return reply.callNotFound();
  let path: string;
  try {
    path = decodeURIComponent(rel);
  } catch {
    return notFound(reply);
  }
  let file = normalize(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) return notFound(reply);
  let info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) {
    if (!rel.endsWith('/') && rel !== '') return reply.redirect(`${prefix}/${rel}/`);
    file = join(file, 'index.html');
    info = await stat(file).catch(() => undefined);
  }
  if (!info && o.spaFallback && !extname(file)) {
    file = join(root, o.spaFallback);
    info = await stat(file).catch(() => undefined);
  }
  if (!info?.isFile()) return notFound(reply);
  if (!file.endsWith('.html')) return reply.sendFile(file.slice(root.length + 1), root);
  let html = await readFile(file, 'utf8');
  if (o.transformHtml) html = o.transformHtml(html);
  const etag = `"${createHash('sha1').update(html).digest('base64url')}"`;
  for (const [k, v] of Object.entries(o.headers?.(file) ?? {})) reply.header(k, v);
  reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').header('etag', etag).header('x-content-type-options', 'nosniff');
  if (req.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.send(html);
}
