import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { signedIn } from '../lib/require-agent.js';
import { DeliveryReport, deliveryReport } from '../repositories/delivery-report.js';
import { retryDeadDeliveries } from '../repositories/retry-dead-deliveries.js';
import { AGENT_BODY_LIMIT } from './agent.js';

const SiteParams = Type.Object({ siteKey: Type.String({ minLength: 1, maxLength: 64 }) });
// A bigint id as text: at most 18 digits, so PostgreSQL never reads one out of range (a 500).
const RetryBody = Type.Object({ ids: Type.Optional(Type.Array(Type.String({ pattern: '^[1-9][0-9]{0,17}$' }), { maxItems: 500 })) });

/** Outbound deliveries for the console: counts, dead letters, retry (agent session required). */
export function registerAgentDeliveries(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const P = `${API_PREFIX}/agent/sites/:siteKey/deliveries`;

  app.get(P, { onRequest: signedIn(deps), schema: { params: SiteParams, response: { 200: DeliveryReport } } }, async (req, reply) =>
    reply.send(await deliveryReport(deps.store, req.params.siteKey)),
  );

  app.post(
    `${P}/retry`,
    { onRequest: signedIn(deps), bodyLimit: AGENT_BODY_LIMIT, schema: { params: SiteParams, body: RetryBody, response: { 200: Type.Object({ retried: Type.Integer() }) } } },
    async (req, reply) => reply.send({ retried: await retryDeadDeliveries(deps.store, req.params.siteKey, req.body.ids) }),
  );
}
