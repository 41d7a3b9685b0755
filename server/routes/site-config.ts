import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { API_PREFIX, PROTOCOL_VERSION, CONSENT_CATEGORIES, type SiteConfig, SiteKeyParams } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { requireSite } from '../lib/require-site.js';
import type { Site } from '../sites.js';
import { describeHours, isOpen, type BusinessHours } from '../business-hours.js';
import { siteZone } from '../lib/site-time.js';

interface StoredChat {
  greeting?: string;
  hours?: BusinessHours;
  businessHours?: string;
}

/**
 * The public part of a site's configuration, with defaults filled in. Only
 * what browsers need: the chat's greeting and hours as a line of text (from
 * the structured hours, in the site's zone, or the older free text), never the
 * bot's answers or the consent text kept beside them.
 */
export function publicConfig(site: Site): SiteConfig {
  const c = site.config as Partial<SiteConfig> & { chat?: StoredChat };
  const { mode, policyVersion, categories } = { mode: 'opt-in' as const, policyVersion: '1', categories: [...CONSENT_CATEGORIES], ...c.consent };
  const chat = c.chat;
  const hours = chat?.hours ? describeHours(chat.hours, siteZone(site)) : chat?.businessHours;
  return {
    protocol: PROTOCOL_VERSION,
    siteKey: site.key,
    consent: { mode, policyVersion, categories },
    sampling: { replay: 1, replayOnError: 1, ...c.sampling },
    ...(chat ? { chat: { ...(chat.greeting !== undefined ? { greeting: chat.greeting } : {}), ...(hours ? { businessHours: hours } : {}) } } : {}),
    surveys: c.surveys ?? [],
    // Real-time help rules (routes/agent-journeys.ts): only when there are some, so the SDK loads their chunk only then.
    ...(c.help?.rules.length ? { help: c.help } : {}),
  };
}

/** Whether people are there by the site's hours right now (true when it has none: presence alone decides). */
export const openNow = (site: Site, now: number): boolean => {
  const hours = (site.config.chat as StoredChat | undefined)?.hours;
  return hours ? isOpen(hours, siteZone(site), now) : true;
};

/**
 * `GET /v1/sites/{siteKey}/config`. Revalidated on every use (`no-cache` and an
 * ETag, answered `304` when unchanged): a setting saved in the console reaches
 * the next page view, not the next minute's.
 */
export function registerSiteConfig(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(`${API_PREFIX}/sites/:siteKey/config`, { schema: { params: SiteKeyParams } }, async (req, reply) => {
    const site = await requireSite(deps.sites, req, req.params.siteKey, '{siteKey}');
    const config = publicConfig(site);
    // Presence is live: the launcher says "we're online" only when someone is, and only within the site's hours.
    config.chat = { ...config.chat, online: openNow(site, deps.now()) && (await deps.presence.anyOnline(site.key)) };
    const body = JSON.stringify(config);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    reply.header('cache-control', 'no-cache').header('etag', etag).header('content-type', 'application/json; charset=utf-8');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(body);
  });
}
