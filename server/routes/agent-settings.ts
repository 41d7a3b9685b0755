import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import { API_PREFIX } from '../../src/protocol/constants.js';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { packageRoot } from '../lib/package-root.js';
import { renderSnippet } from '../lib/render-snippet.js';
import { integrationsOf } from '../integrations/integrations-config.js';
import { requireAgent } from './agent.js';

/** A site's settings for the console: its snippet, ready to paste, and its integrations without their secrets. */
export function registerAgentSettings(app: FastifyInstance, deps: Deps): void {
  app.get(`${API_PREFIX}/agent/sites/:siteKey/settings`, async (req, reply) => {
    await requireAgent(deps, req);
    const site = await deps.sites.get((req.params as { siteKey: string }).siteKey);
    if (!site) throw new ApiError('not_found', 'No such site.');
    const origin = `${req.protocol}://${req.headers.host ?? 'localhost'}`;
    const i = integrationsOf(site);
    return reply.send({
      siteKey: site.key,
      name: site.name,
      origin,
      snippet: renderSnippet(join(packageRoot(), 'dist/cdn/snippet.min.js'), { src: `${origin}/cdn/touchpoint.js`, siteKey: site.key, features: 'consent replay survey chat' }),
      integrations: {
        forward: i.forward.map((f) => ({ url: f.url })),
        webhooks: i.webhooks.map((w) => ({ url: w.url, events: w.events })),
        channels: Object.entries(i.channels).map(([name, c]) => ({ name, replyUrl: c.replyUrl, inboundUrl: `${origin}${API_PREFIX}/channels/${name}/messages?site=${encodeURIComponent(site.key)}` })),
      },
    });
  });
}
