import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { API_PREFIX, LIMITS, ReplayChunkQuery, type ReplayChunkResponse } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { requireSite } from '../lib/require-site.js';
import { validateQuery } from '../lib/validate.js';

/** A chunk may inflate to at most this much JSON: a zip bomb costs us this, not more. */
const INFLATED_LIMIT = 32 * 1024 * 1024;

/**
 * `POST /v1/replay`: one gzip chunk of rrweb events. Stored as sent (gzip is
 * how it is kept and served), once per (session, window, seq), after checking
 * that it really is gzip of a JSON array — a corrupt chunk is refused now,
 * not discovered at playback.
 */
export function registerReplay(app: FastifyInstance, deps: Deps): void {
  app.post(`${API_PREFIX}/replay`, { bodyLimit: LIMITS.replayChunkBytes }, async (req, reply) => {
    const q = validateQuery(ReplayChunkQuery, req.query);
    const wait = deps.limiter.take(`replay|${q.site}|${q.session}|${req.ip}`);
    if (wait) throw new ApiError('rate_limited', 'Too many requests.', undefined, { 'retry-after': String(wait) });
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
    const r = await deps.store.query(
      `INSERT INTO replay_chunks (site_key, session_id, window_id, seq, first_ts, last_ts, anonymous_id, bytes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING 1`,
      [site.key, q.session, q.window, Number(q.seq), first, last, q.anon ?? null, body],
    );
    const res: ReplayChunkResponse = { stored: r.rows.length === 1 };
    return reply.send(res);
  });
}
