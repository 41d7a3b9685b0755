import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from '../../src/protocol/constants.js';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { listReplays, replayDetail, replayEvents } from '../reports/replays.js';
import { requireAgent } from './agent.js';

/** Replays for the console's player (agent session required): docs/console.md. */
export function registerAgentReplays(app: FastifyInstance, deps: Deps): void {
  const P = `${API_PREFIX}/agent/replays`;

  app.get(P, async (req, reply) => {
    await requireAgent(deps, req);
    return reply.send({ replays: await listReplays(deps.store) });
  });

  app.get(`${P}/:sessionId`, async (req, reply) => {
    await requireAgent(deps, req);
    const d = await replayDetail(deps.store, (req.params as { sessionId: string }).sessionId);
    if (!d) throw new ApiError('not_found', 'No recording for this session.');
    return reply.send(d);
  });

  app.get(`${P}/:sessionId/events`, async (req, reply) => {
    await requireAgent(deps, req);
    const window = (req.query as { window?: string }).window;
    if (!window) throw new ApiError('invalid_body', '?window: required (a tab id of the session)', '?window');
    const json = await replayEvents(deps.store, (req.params as { sessionId: string }).sessionId, window);
    return reply.header('content-type', 'application/json; charset=utf-8').send(json);
  });
}
