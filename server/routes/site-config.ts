import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { API_PREFIX, PROTOCOL_VERSION, CONSENT_CATEGORIES, type SiteConfig, SiteKeyParams } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { requireSite } from '../lib/require-site.js';
import { agentsOnline } from '../agents.js';
import type { Site } from '../sites.js';

/** The public part of a site's configuration, with defaults filled in. */
export function publicConfig(site: Site): SiteConfig {
  const c = site.config as Partial<SiteConfig>;
  return {
    protocol: PROTOCOL_VERSION,
    siteKey: site.key,
    consent: { mode: 'opt-in', policyVersion: '1', categories: [...CONSENT_CATEGORIES], ...c.consent },
    sampling: { replay: 1, replayOnError: 1, ...c.sampling },
    ...(c.chat ? { chat: c.chat } : {}),
    surveys: c.surveys ?? [],
  };
}

/** `GET /v1/sites/{siteKey}/config`. */
export function registerSiteConfig(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(`${API_PREFIX}/sites/:siteKey/config`, { schema: { params: SiteKeyParams } }, async (req, reply) => {
    const site = await requireSite(deps.sites, req, req.params.siteKey, '{siteKey}');
    const config = publicConfig(site);
    // Presence is live: the launcher says "we're online" only when someone is. A minute of cache bounds it.
    config.chat = { ...config.chat, online: await agentsOnline(deps.store) };
    return reply.header('cache-control', 'public, max-age=60').send(config);
  });
}
