import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { API_PREFIX, LIMITS, ReplayChunkQuery, ReplayChunkResponse } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { rateLimited, rawQuery } from '../lib/rate-limit-hook.js';
import { requireSite } from '../lib/require-site.js';
import { storeReplayChunk } from '../repositories/store-replay-chunk.js';

/** A chunk may inflate to at most this much JSON: a zip bomb costs us this, not more. */
const INFLATED_LIMIT = 32 * 1024 * 1024;

/**
 * `POST /v1/replay`: one gzip chunk of rrweb events. Stored as sent (gzip is
 * how it is kept and served), once per (session, window, seq), after checking
 * that it really is gzip of a JSON array — a corrupt chunk is refused now,
 * not discovered at playback.
 */
export function registerReplay(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const route = {
    bodyLimit: LIMITS.replayChunkBytes,
    onRequest: rateLimited(deps, (req) => `replay|${String(rawQuery(req).site)}|${String(rawQuery(req).session)}|${req.ip}`),
    // No body schema: the body is gzip, checked below as it is stored (as sent).
    schema: { querystring: ReplayChunkQuery, response: { 200: ReplayChunkResponse } },
  };
  app.post(`${API_PREFIX}/replay`, route, async (req, reply) => {
    const q = req.query;
    const site = await requireSite(deps.sites, req, q.site, '?site');
    const body = req.body;
    if (!Buffer.isBuffer(body) || body.length === 0) throw new ApiError('invalid_json', 'The request has no body.');
    let events: unknown;
    try {
      events = JSON.parse(gunzipSync(body, { maxOutputLength: INFLATED_LIMIT }).toString('utf8'));
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new ApiError('payload_too_large', `The chunk inflates to over ${INFLATED_LIMIT} bytes.`);
      throw new ApiError('invalid_json', 'The body is not gzip of JSON.');
    }
    if (!Array.isArray(events)) throw new ApiError('invalid_body', 'The chunk must be a JSON array of rrweb events.', '');
    const first = Number(q.first);
    const last = Number(q.last);
    if (last < first) throw new ApiError('invalid_body', '?last: must not be before ?first', '?last');
    const stored = await storeReplayChunk(deps.store, { siteKey: site.key, sessionId: q.session, windowId: q.window, seq: Number(q.seq), first, last, anonymousId: q.anon, bytes: body });
    return reply.send({ stored });
  });
}
