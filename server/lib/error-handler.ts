import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { ERROR_CODES, type ErrorCode, API_PREFIX } from 'touchpoint/protocol';
import { ApiError } from './api-error.js';
import { checkUrlText } from './validate.js';

/** Fastify's own client-error codes, onto the protocol's error table. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_BAD_URL: 'invalid_body',
  FST_ERR_MAX_PARAM_LENGTH: 'uri_too_long',
  FST_ERR_ASYNC_CONSTRAINT: 'invalid_body',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
};
/** Any other client status Fastify or Node gives, onto the table: never a 4xx outside it. */
const BY_STATUS: Record<number, ErrorCode> = { 400: 'invalid_body', 404: 'not_found', 405: 'method_not_allowed', 408: 'request_timeout', 413: 'payload_too_large', 414: 'uri_too_long', 415: 'unsupported_media_type', 431: 'headers_too_large' };

/** The documented error for anything thrown while answering; `internal` only for our own faults. */
export function toApiError(err: unknown, req?: FastifyRequest): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as Partial<FastifyError> & { code?: string };
  const mapped = FASTIFY_CODES[e.code ?? ''] ?? (e.statusCode && e.statusCode >= 400 && e.statusCode < 500 ? (BY_STATUS[e.statusCode] ?? 'invalid_body') : undefined);
  // A body the client stopped sending: nobody reads this answer, but it is the client's doing, not ours.
  const aborted = e.code === 'ECONNRESET' || e.code === 'ECONNABORTED' || e.message === 'aborted' || e.code === 'FST_ERR_CTP_BODY_ABORTED';
  if (mapped === 'uri_too_long') return new ApiError('uri_too_long', 'A path segment is over 100 characters.');
  if (mapped === 'invalid_body' && e.code === 'FST_ERR_BAD_URL') return new ApiError('invalid_body', 'The URL is not valid percent-encoded UTF-8.');
  if (mapped) return new ApiError(mapped, e.message ?? ERROR_CODES[mapped].description);
  if (aborted) return new ApiError('invalid_body', 'The request body ended early.');
  req?.log.error({ err }, 'unhandled error');
  return new ApiError('internal', 'Internal error; retry later.');
}

/** Sends `api` as the one error body (docs/protocol.md §6); a 413 once the refused body has been read. */
export async function sendApiError(reply: FastifyReply, api: ApiError): Promise<FastifyReply> {
  for (const [k, v] of Object.entries(api.headers ?? {})) reply.header(k, v);
  if (api.code === 'payload_too_large') await drainBody(reply);
  return reply.code(api.status).type('application/json; charset=utf-8').send(api.toBody());
}

/** Bytes of a refused body we read and drop before answering; past this the connection is cut. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

/**
 * After a 413 the client may still be sending megabytes. Answering at once and
 * closing (Fastify marks a refused body `Connection: close`) resets the
 * connection under it — data arriving at a closed socket draws an RST that can
 * discard the answer: EPIPE, then a retry forever. Answering at once and
 * keeping the connection leaves Node's parser waiting on a request it will
 * not read. So the whole refused body is read and dropped first, and the 413
 * goes out when the client has finished sending; past 64 MB the connection is
 * cut without an answer.
 */
function drainBody(reply: FastifyReply): Promise<void> {
  const raw = reply.request.raw;
  if (raw.readableEnded || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let left = DRAIN_LIMIT;
    raw.on('data', (chunk: Buffer) => {
      left -= chunk.length;
      if (left < 0) {
        raw.socket?.destroy();
        resolve();
      }
    });
    raw.once('end', () => resolve());
    raw.once('close', () => resolve());
    raw.once('error', () => resolve());
    raw.resume();
  });
}

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (headers
 * over 16 KB, a URL of that size, a timeout, garbage): they get the documented
 * body too, then the connection closes as Node would close it.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const api =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new ApiError('headers_too_large', 'The request line and headers are over 16 KB.')
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new ApiError('request_timeout', 'The request did not arrive in time.')
        : new ApiError('invalid_body', 'The request is not valid HTTP.');
  const body = JSON.stringify(api.toBody());
  socket.end(`HTTP/1.1 ${api.status} ${api.code}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Fastify's `frameworkErrors`: routing faults (a bad URL, an over-long segment) in the documented shape. */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  void sendApiError(reply, toApiError(err));
}

/**
 * Everything under `/v1/` is API: an unknown path answers `404 not_found` and
 * a known one with another method `405 method_not_allowed` (with `Allow`), as
 * JSON — never a static file or the demo page a catch-all serves elsewhere.
 * Call before any route is added: it learns the routes as they are added.
 * Also runs the URL text discipline on every API request before its body is read.
 */
export function registerApiFallback(app: FastifyInstance): void {
  const routes: { re: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (r) => {
    if (!r.url.startsWith(`${API_PREFIX}/`) || r.url === `${API_PREFIX}/*`) return;
    const re = new RegExp(`^${r.url.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\/:[^/]+/g, '/[^/]+').replace(/\*/g, '.*')}$`);
    routes.push({ re, methods: ([] as string[]).concat(r.method) });
  });
  app.addHook('onRequest', async (req) => {
    if (req.url.startsWith(`${API_PREFIX}/`)) checkUrlText(req.params, req.query);
  });
  app.route({
    method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'],
    url: `${API_PREFIX}/*`,
    handler: async (req, reply) => {
      const path = req.url.split('?')[0]!;
      const allow = [...new Set(routes.filter((r) => r.re.test(path)).flatMap((r) => r.methods))];
      // The route exists for this very method: only a segment over the router's limit kept it from matching.
      if (allow.includes(req.method)) return sendApiError(reply, new ApiError('uri_too_long', 'A path segment is over 100 characters.'));
      if (allow.length) {
        return sendApiError(reply.header('allow', [...allow, 'OPTIONS'].join(', ')), new ApiError('method_not_allowed', `${path} does not take ${req.method}; it takes ${allow.join(', ')}.`));
      }
      return sendApiError(reply, new ApiError('not_found', `No endpoint ${req.method} ${path.slice(0, 200)}.`));
    },
  });
}
