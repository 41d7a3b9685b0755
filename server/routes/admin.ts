import type { FastifyInstance, FastifyRequest } from 'fastify';
import { API_PREFIX, type SiteStats, type StoredEvent, SiteKeyParams, StoredEventParams } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { hexEquals, hmacHex } from '../lib/hmac.js';
import { isoUtc } from '../store/iso-utc.js';
import { validateParams } from '../lib/validate.js';

/** Constant-time check of `Authorization: Bearer <token>` (compared as HMACs, so lengths never leak). */
export const requireAdmin = (req: FastifyRequest, token: string): void => {
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  if (!hexEquals(hmacHex('admin', given), hmacHex('admin', token))) throw new ApiError('unauthorized', 'A valid admin bearer token is required.');
};

/** The optional admin read API of the protocol (docs/protocol.md §11). */
export function registerAdmin(app: FastifyInstance, deps: Deps): void {
  // A site that does not exist is `unknown_site`, not a site with nothing stored.
  const knownSite = async (key: string) => {
    if (!(await deps.sites.get(key))) throw new ApiError('unknown_site', `No site has the key "${key}".`, '{siteKey}');
  };
  app.get(`${API_PREFIX}/admin/sites/:siteKey/events/:messageId`, async (req, reply) => {
    requireAdmin(req, deps.adminToken);
    const { siteKey, messageId } = validateParams(StoredEventParams, req.params);
    await knownSite(siteKey);
    const { rows } = await deps.store.query<{ type: string; verified: boolean; payload: Record<string, unknown>; ts: string; ots: string; rat: string }>(
      `SELECT type, verified, payload,
              ${isoUtc('timestamp')} AS ts,
              ${isoUtc('original_timestamp')} AS ots,
              ${isoUtc('received_at')} AS rat
         FROM events WHERE site_key = $1 AND message_id = $2`,
      [siteKey, messageId],
    );
    const r = rows[0];
    if (!r) throw new ApiError('not_found', 'No such event.');
    const res: StoredEvent = { messageId, type: r.type, timestamp: r.ts, originalTimestamp: r.ots, receivedAt: r.rat, verified: r.verified, event: r.payload };
    return reply.send(res);
  });

  app.get(`${API_PREFIX}/admin/sites/:siteKey/stats`, async (req, reply) => {
    requireAdmin(req, deps.adminToken);
    const { siteKey } = validateParams(SiteKeyParams, req.params);
    await knownSite(siteKey);
    const { rows } = await deps.store.query<{ events: number; consent: number }>(
      'SELECT (SELECT count(*)::int FROM events WHERE site_key = $1) AS events, (SELECT count(*)::int FROM consent_records WHERE site_key = $1) AS consent',
      [siteKey],
    );
    const res: SiteStats = { events: Number(rows[0]!.events), consentRecords: Number(rows[0]!.consent) };
    return reply.send(res);
  });
}
