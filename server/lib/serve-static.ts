import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticOptions {
  /** URL prefix, ending in `/`. */
  prefix: string;
  root: string;
  /** Cache-Control value; hashed files can be immutable. */
  cacheControl?: (path: string) => string;
  /** Extra headers per file (e.g. a CSP for the strict-CSP demo). */
  headers?: (file: string) => Record<string, string>;
  /** File served for extension-less paths that don't exist (single-page apps' client routes). */
  spaFallback?: string;
  /** Rewrites HTML files before sending (the demo pages get the current snippet). */
  transformHtml?: (html: string) => string;
}

/**
 * Serves files below `root` under `prefix`. Small on purpose: GET/HEAD,
 * `index.html` for folders, no path escapes, one content-type table.
 */
export function serveStatic(app: FastifyInstance, options: StaticOptions): void {
  const root = resolve(options.root);
  const handler = async (req: { params: unknown }, reply: FastifyReply) => {
    const rel = (req.params as { '*': string })['*'] ?? '';
    let file = normalize(join(root, decodeURIComponent(rel)));
    if (file !== root && !file.startsWith(root + sep)) return reply.code(404).send({ error: { code: 'not_found', message: 'No such file.' } });
    let info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) {
      if (!rel.endsWith('/') && rel !== '') return reply.redirect(`${options.prefix}${rel}/`);
      file = join(file, 'index.html');
      info = await stat(file).catch(() => undefined);
    }
    if (!info && options.spaFallback && !extname(file)) {
      file = join(root, options.spaFallback);
      info = await stat(file).catch(() => undefined);
    }
    if (!info?.isFile()) return reply.code(404).send({ error: { code: 'not_found', message: 'No such file.' } });
    for (const [k, v] of Object.entries(options.headers?.(file) ?? {})) reply.header(k, v);
    if (options.transformHtml && file.endsWith('.html')) {
      const html = options.transformHtml(await readFile(file, 'utf8'));
      return reply.header('content-type', TYPES['.html']).header('cache-control', 'no-cache').send(html);
    }
    reply
      .header('content-type', TYPES[extname(file)] ?? 'application/octet-stream')
      .header('content-length', info.size)
      .header('cache-control', options.cacheControl?.(file) ?? 'no-cache')
      .header('x-content-type-options', 'nosniff');
    return reply.send(createReadStream(file));
  };
  app.get(`${options.prefix}*`, handler);
}
