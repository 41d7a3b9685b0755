import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { listReplays, replayDetail, replayEvents, replaySite } from '../reports/replays.js';
import { requireAgent } from '../lib/require-agent.js';

/** Replays for the console's player (agent session required): docs/console.md. */
export function registerAgentReplays(app: FastifyInstance, deps: Deps): void {
  const P = `${API_PREFIX}/agent/replays`;

  app.get(P, async (req, reply) => {
    await requireAgent(deps, req);
    return reply.send({ replays: await listReplays(deps.store) });
  });

  app.get(`${P}/:sessionId`, async (req, reply) => {
    await requireAgent(deps, req);
    // `?site=` picks the site when two have recorded the same session id; by default the first to record it.
    const d = await replayDetail(deps.store, (req.params as { sessionId: string }).sessionId, (req.query as { site?: string }).site);
    if (!d) throw new ApiError('not_found', 'No recording for this session.');
    return reply.send(d);
  });

  app.get(`${P}/:sessionId/events`, async (req, reply) => {
    await requireAgent(deps, req);
    const window = (req.query as { window?: string }).window;
    if (!window) throw new ApiError('invalid_body', '?window: required (a tab id of the session)', '?window');
    const sessionId = (req.params as { sessionId: string }).sessionId;
    const site = await replaySite(deps.store, sessionId, (req.query as { site?: string }).site);
    if (site === undefined) throw new ApiError('not_found', 'No recording for this session.');
    const json = await replayEvents(deps.store, site, sessionId, window);
    return reply.header('content-type', 'application/json; charset=utf-8').send(json);
  });
}
