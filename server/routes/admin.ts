import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { API_PREFIX, SiteKeyParams, SiteStats, StoredEvent, StoredEventParams } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { hexEquals, hmacHex } from '../lib/hmac.js';
import { siteStats } from '../repositories/site-stats.js';
import { storedEvent } from '../repositories/stored-event.js';

/** Constant-time check of `Authorization: Bearer <token>` (compared as HMACs, so lengths never leak). */
export const requireAdmin = (req: FastifyRequest, token: string): void => {
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  if (!hexEquals(hmacHex('admin', given), hmacHex('admin', token))) throw new ApiError('unauthorized', 'A valid admin bearer token is required.');
};

/** The optional admin read API of the protocol (docs/protocol.md §11). */
export function registerAdmin(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // The token before the schema: without it nothing about the request is answered.
  const adminOnly = async (req: FastifyRequest) => requireAdmin(req, deps.adminToken);
  // A site that does not exist is `unknown_site`, not a site with nothing stored.
  const knownSite = async (key: string) => {
    if (!(await deps.sites.get(key))) throw new ApiError('unknown_site', `No site has the key "${key}".`, '{siteKey}');
  };
  app.get(
    `${API_PREFIX}/admin/sites/:siteKey/events/:messageId`,
    { onRequest: adminOnly, schema: { params: StoredEventParams, response: { 200: StoredEvent } } },
    async (req, reply) => {
      await knownSite(req.params.siteKey);
      const event = await storedEvent(deps.store, req.params.siteKey, req.params.messageId);
      if (!event) throw new ApiError('not_found', 'No such event.');
      return reply.send(event);
    },
  );

  app.get(`${API_PREFIX}/admin/sites/:siteKey/stats`, { onRequest: adminOnly, schema: { params: SiteKeyParams, response: { 200: SiteStats } } }, async (req, reply) => {
    await knownSite(req.params.siteKey);
    return reply.send(await siteStats(deps.store, req.params.siteKey));
  });
}
