import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { API_PREFIX } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { canManage } from '../agents.js';
import { ApiError } from '../lib/api-error.js';
import { isoNow } from '../lib/clock.js';
import { validate } from '../lib/validate.js';
import { resolveCustomer } from '../customers/customer-profile.js';
import { integrationsOf } from '../integrations/integrations-config.js';
import { eraseCustomer } from '../privacy/erase-customer.js';
import { exportCustomer } from '../privacy/export-customer.js';
import { requireAgent } from '../lib/require-agent.js';

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
export function registerAgentPrivacy(app: FastifyInstance, deps: Deps): void {
  const P = `${API_PREFIX}/agent/sites/:siteKey/customers/:id`;

  const customer = async (req: FastifyRequest) => {
    const agent = await requireAgent(deps, req);
    if (!canManage(agent.role)) throw new ApiError('forbidden', 'Only owners and admins may export or erase a customer.');
    const { siteKey, id } = validate(Params, req.params, '{}');
    const site = await deps.sites.get(siteKey);
    if (!site) throw new ApiError('not_found', 'No such site.');
    const c = await resolveCustomer(deps.store, site.key, id);
    if (!c) throw new ApiError('not_found', 'No such customer.');
    return { agent, site, c };
  };

  app.get(`${P}/export`, async (req, reply) => {
    const { c } = await customer(req);
    const data = await exportCustomer(deps.store, c, isoNow(deps.now));
    return reply.header('content-disposition', `attachment; filename="customer-${encodeURIComponent(c.userId ?? c.anonymousIds[0]!)}.json"`).send(data);
  });

  app.delete(P, async (req, reply) => {
    const { agent, site, c } = await customer(req);
    const r = await eraseCustomer(deps.store, c, { requestedBy: agent.id, at: isoNow(deps.now), integrations: integrationsOf(site) });
    return reply.send({ erased: { userId: c.userId ?? null, anonymousIds: c.anonymousIds }, ...r });
  });
}
