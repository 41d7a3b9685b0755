import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { dateRange } from '../lib/date-range.js';
import { signedIn } from '../lib/require-agent.js';
import { FunnelQuery, funnelReport } from '../reports/funnel.js';
import { AGENT_BODY_LIMIT } from './agent.js';

/**
 * Journeys for the console (agent session): `POST /v1/agent/sites/{site}/funnel?from&to`
 * with the steps in the body (docs/console.md#funnels). A POST because a
 * funnel is a query with structure, not a resource; it changes nothing.
 */
export function registerAgentJourneys(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    `${API_PREFIX}/agent/sites/:siteKey/funnel`,
    {
      onRequest: signedIn(deps),
      bodyLimit: AGENT_BODY_LIMIT,
      schema: {
        params: Type.Object({ siteKey: Type.String({ minLength: 1, maxLength: 64 }) }),
        querystring: Type.Object({ from: Type.Optional(Type.String({ maxLength: 10 })), to: Type.Optional(Type.String({ maxLength: 10 })) }),
        body: FunnelQuery,
      },
    },
    async (req, reply) => {
      const site = await deps.sites.get(req.params.siteKey);
      if (!site) throw new ApiError('not_found', 'No such site.');
      return reply.send(await funnelReport(deps.store, site.key, req.body, dateRange(req.query, deps.now())));
    },
  );
}
