import type { FastifyInstance, FastifyRequest } from 'fastify';
import { join } from 'node:path';
import { API_PREFIX } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { packageRoot } from '../lib/package-root.js';
import { renderSnippet } from '../lib/render-snippet.js';
import { integrationsOf } from '../integrations/integrations-config.js';
import { canManage, type Agent } from '../agents.js';
import { SECRET_GRACE_S, normalizeOrigin, type Site } from '../sites.js';
import { requireAgent } from '../lib/require-agent.js';
import { json } from './agent.js';

/** The signed-in agent, if an owner or admin; `403 forbidden` for an agent. */
const requireManager = async (deps: Deps, req: FastifyRequest): Promise<Agent> => {
  const agent = await requireAgent(deps, req);
  if (!canManage(agent.role)) throw new ApiError('forbidden', 'Only owners and admins manage the site.');
  return agent;
};

/**
 * A site's settings for the console: its snippet, ready to paste, its
 * allowed origins and its integrations without their secrets. Owners and
 * admins also read the site secret (on its own request, never cached, so it
 * is fetched only when revealed), rotate it with a grace period and edit the
 * origins — the same operations as `npx touchpoint sites …`.
 */
export function registerAgentSettings(app: FastifyInstance, deps: Deps): void {
  const P = `${API_PREFIX}/agent/sites/:siteKey`;
  const siteOf = async (req: FastifyRequest): Promise<Site> => {
    const site = await deps.sites.get((req.params as { siteKey: string }).siteKey);
    if (!site) throw new ApiError('not_found', 'No such site.');
    return site;
  };
  const secretOf = (s: Site) => ({ secret: s.secret, ...(s.previousSecretUntil ? { previousSecretValidUntil: s.previousSecretUntil } : {}) });

  app.get(`${P}/settings`, async (req, reply) => {
    const agent = await requireAgent(deps, req);
    const site = await siteOf(req);
    const origin = `${req.protocol}://${req.headers.host ?? 'localhost'}`;
    const i = integrationsOf(site);
    return reply.send({
      siteKey: site.key,
      name: site.name,
      origin,
      role: agent.role,
      canManage: canManage(agent.role),
      allowedOrigins: site.allowedOrigins,
      snippet: renderSnippet(join(packageRoot(), 'dist/cdn/snippet.min.js'), { src: `${origin}/cdn/touchpoint.js`, siteKey: site.key, features: 'consent replay survey chat' }),
      integrations: {
        forward: i.forward.map((f) => ({ url: f.url })),
        webhooks: i.webhooks.map((w) => ({ url: w.url, events: w.events })),
        channels: Object.entries(i.channels).map(([name, c]) => ({ name, replyUrl: c.replyUrl, inboundUrl: `${origin}${API_PREFIX}/channels/${name}/messages?site=${encodeURIComponent(site.key)}` })),
      },
    });
  });

  app.get(`${P}/secret`, async (req, reply) => {
    await requireManager(deps, req);
    return reply.header('cache-control', 'no-store').send(secretOf(await siteOf(req)));
  });

  app.post(`${P}/secret/rotate`, async (req, reply) => {
    await requireManager(deps, req);
    const b = req.body === undefined ? {} : json(req);
    const grace = b.graceSeconds ?? SECRET_GRACE_S;
    if (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0 || grace > 30 * 86_400) {
      throw new ApiError('invalid_body', '/graceSeconds: must be an integer from 0 to 2592000 (30 days)', '/graceSeconds');
    }
    const site = await siteOf(req);
    return reply.header('cache-control', 'no-store').send(secretOf(await deps.sites.rotateSecret(site.key, grace)));
  });

  app.put(`${P}/origins`, async (req, reply) => {
    await requireManager(deps, req);
    const site = await siteOf(req);
    const list = json(req).allowedOrigins;
    if (!Array.isArray(list) || list.length > 100 || list.some((o) => typeof o !== 'string' || o.length > 300)) {
      throw new ApiError('invalid_body', '/allowedOrigins: must be an array of up to 100 origins', '/allowedOrigins');
    }
    list.forEach((o: string, i) => {
      try {
        normalizeOrigin(o);
      } catch (e) {
        throw new ApiError('invalid_body', `/allowedOrigins/${i}: ${(e as Error).message}`, `/allowedOrigins/${i}`);
      }
    });
    return reply.send({ allowedOrigins: (await deps.sites.setOrigins(site.key, list as string[])).allowedOrigins });
  });
}
