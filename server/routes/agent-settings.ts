import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { join } from 'node:path';
import { API_PREFIX } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { managerOnly } from '../lib/manager-only.js';
import { readJsonBody } from '../lib/read-json-body.js';
import { requireAgent, signedIn } from '../lib/require-agent.js';
import { validate } from '../lib/validate.js';
import { packageRoot } from '../lib/package-root.js';
import { renderSnippet } from '../lib/render-snippet.js';
import { integrationsOf } from '../integrations/integrations-config.js';
import { canManage } from '../agents.js';
import { SECRET_GRACE_S, normalizeOrigin, type Site } from '../sites.js';
import { AGENT_BODY_LIMIT } from './agent.js';
import { registerAgentSiteSettings } from './agent-site-settings.js';

const SiteParams = Type.Object({ siteKey: Type.String({ minLength: 1, maxLength: 64 }) });
const RotateBody = Type.Object({ graceSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 * 86_400, description: 'At most 30 days.' })) });
const OriginsBody = Type.Object({ allowedOrigins: Type.Array(Type.String({ maxLength: 300 }), { maxItems: 100 }) });

/**
 * A site's settings for the console: its snippet, ready to paste, its
 * allowed origins and its integrations without their secrets. Owners and
 * admins also read the site secret (on its own request, never cached, so it
 * is fetched only when revealed), rotate it with a grace period and edit the
 * origins — the same operations as `npx touchpoint sites …`.
 */
export function registerAgentSettings(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  registerAgentSiteSettings(fastify, deps);
  const P = `${API_PREFIX}/agent/sites/:siteKey`;
  const agentOnly = { onRequest: signedIn(deps), schema: { params: SiteParams } };
  const managers = { onRequest: managerOnly(deps), bodyLimit: AGENT_BODY_LIMIT };
  const siteOf = async (req: { params: { siteKey: string } }): Promise<Site> => {
    const site = await deps.sites.get(req.params.siteKey);
    if (!site) throw new ApiError('not_found', 'No such site.');
    return site;
  };
  const secretOf = (s: Site) => ({ secret: s.secret, ...(s.previousSecretUntil ? { previousSecretValidUntil: s.previousSecretUntil } : {}) });

  app.get(`${P}/settings`, agentOnly, async (req, reply) => {
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

  app.get(`${P}/secret`, { ...managers, schema: { params: SiteParams } }, async (req, reply) => reply.header('cache-control', 'no-store').send(secretOf(await siteOf(req))));

  // No body rotates with the default grace; a body schema would refuse an empty request, so the body is read here.
  app.post(`${P}/secret/rotate`, { ...managers, schema: { params: SiteParams } }, async (req, reply) => {
    const b = req.body === undefined ? {} : validate(RotateBody, readJsonBody(req.body, undefined, AGENT_BODY_LIMIT));
    const site = await siteOf(req);
    return reply.header('cache-control', 'no-store').send(secretOf(await deps.sites.rotateSecret(site.key, b.graceSeconds ?? SECRET_GRACE_S)));
  });

  app.put(`${P}/origins`, { ...managers, schema: { params: SiteParams, body: OriginsBody } }, async (req, reply) => {
    const site = await siteOf(req);
    const list = req.body.allowedOrigins;
    list.forEach((o, i) => {
      try {
        normalizeOrigin(o);
      } catch (e) {
        throw new ApiError('invalid_body', `/allowedOrigins/${i}: ${(e as Error).message}`, `/allowedOrigins/${i}`);
      }
    });
    return reply.send({ allowedOrigins: (await deps.sites.setOrigins(site.key, list)).allowedOrigins });
  });
}
