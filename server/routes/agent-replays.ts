import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { signedIn } from '../lib/require-agent.js';
import { listReplays, replayDetail, replayEvents, replaySite } from '../reports/replays.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const SessionParams = Type.Object({ sessionId: Id });
// `?site=` picks the site when two have recorded the same session id; by default the first to record it.
const SiteQuery = Type.Object({ site: Type.Optional(Id) });

/** Replays for the console's player (agent session required): docs/console.md. */
export function registerAgentReplays(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const P = `${API_PREFIX}/agent/replays`;
  const onRequest = signedIn(deps);

  app.get(P, { onRequest }, async (_req, reply) => reply.send({ replays: await listReplays(deps.store) }));

  app.get(`${P}/:sessionId`, { onRequest, schema: { params: SessionParams, querystring: SiteQuery } }, async (req, reply) => {
    const d = await replayDetail(deps.store, req.params.sessionId, req.query.site);
    if (!d) throw new ApiError('not_found', 'No recording for this session.');
    return reply.send(d);
  });

  app.get(
    `${P}/:sessionId/events`,
    // ?window: required (a tab id of the session).
    { onRequest, schema: { params: SessionParams, querystring: Type.Object({ site: Type.Optional(Id), window: Id }) } },
    async (req, reply) => {
      const sessionId = req.params.sessionId;
      const site = await replaySite(deps.store, sessionId, req.query.site);
      if (site === undefined) throw new ApiError('not_found', 'No recording for this session.');
      const json = await replayEvents(deps.store, site, sessionId, req.query.window);
      return reply.header('content-type', 'application/json; charset=utf-8').send(json);
    },
  );
}
