import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { isoNow } from '../lib/clock.js';
import { resolveCustomer } from '../customers/customer-profile.js';
import { integrationsOf } from '../integrations/integrations-config.js';
import { eraseCustomer } from '../privacy/erase-customer.js';
import { exportCustomer } from '../privacy/export-customer.js';
import { requireAgent } from '../lib/require-agent.js';
import { managerOnly } from '../lib/manager-only.js';

const Params = Type.Object(
  { siteKey: Type.String({ minLength: 1, maxLength: 128 }), id: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);

/**
 * A customer's data for its subject (docs/console.md#erasure-and-export): `GET
 * …/customers/{id}/export` is one JSON of everything held; `DELETE
 * …/customers/{id}` erases it. By user id or any of their anonymous ids (the
 * whole stitched customer either way). Owners and admins only.
 */
export function registerAgentPrivacy(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const P = `${API_PREFIX}/agent/sites/:siteKey/customers/:id`;
  const route = { onRequest: managerOnly(deps, 'Only owners and admins may export or erase a customer.'), schema: { params: Params } };

  const customer = async (req: FastifyRequest, { siteKey, id }: { siteKey: string; id: string }) => {
    const agent = await requireAgent(deps, req);
    const site = await deps.sites.get(siteKey);
    if (!site) throw new ApiError('not_found', 'No such site.');
    const c = await resolveCustomer(deps.store, site.key, id);
    if (!c) throw new ApiError('not_found', 'No such customer.');
    return { agent, site, c };
  };

  app.get(`${P}/export`, route, async (req, reply) => {
    const { c } = await customer(req, req.params);
    const data = await exportCustomer(deps.store, c, isoNow(deps.now));
    return reply.header('content-disposition', `attachment; filename="customer-${encodeURIComponent(c.userId ?? c.anonymousIds[0]!)}.json"`).send(data);
  });

  app.delete(P, route, async (req, reply) => {
    const { agent, site, c } = await customer(req, req.params);
    const r = await eraseCustomer(deps.store, c, { requestedBy: agent.id, at: isoNow(deps.now), integrations: integrationsOf(site), files: deps.files });
    return reply.send({ erased: { userId: c.userId ?? null, anonymousIds: c.anonymousIds }, ...r });
  });
}
