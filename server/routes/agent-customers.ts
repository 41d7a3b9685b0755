import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX, type SurveyDefinition } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { signedIn } from '../lib/require-agent.js';
import { CustomerProfile, customerProfile, resolveCustomer } from '../customers/customer-profile.js';
import { CustomerList, customersCsv, EXPORT_LIMIT, findCustomers } from '../customers/find-customers.js';
import { figureSettings } from '../reports/definitions.js';
import { Overview, overview } from '../reports/overview.js';
import { sitesByName } from '../repositories/sites-by-name.js';
import { siteZone } from '../lib/site-time.js';

const Key = Type.String({ minLength: 1, maxLength: 64 });
const SiteParams = Type.Object({ siteKey: Key });
const SiteList = Type.Object({ sites: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), timeZone: Type.String({ description: 'The IANA zone its reports cut days in (UTC when unset).' }) })) });
/** Customers and the overview for the console (agent session required): docs/console.md. Attribution: routes/agent-attribution.ts. */
export function registerAgentCustomers(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const P = `${API_PREFIX}/agent`;
  const agentOnly = { onRequest: signedIn(deps) };

  const site = async (siteKey: string) => {
    const s = await deps.sites.get(siteKey);
    if (!s) throw new ApiError('not_found', 'No such site.');
    return s;
  };

  app.get(`${P}/sites`, { ...agentOnly, schema: { response: { 200: SiteList } } }, async (_req, reply) =>
    reply.send({ sites: (await sitesByName(deps.store)).map((s) => ({ key: s.key, name: s.name, timeZone: siteZone(s) })) }),
  );

  app.get(`${P}/sites/:siteKey/overview`, { ...agentOnly, schema: { params: SiteParams, response: { 200: Overview } } }, async (req, reply) => {
    const s = await site(req.params.siteKey);
    return reply.send(await overview(deps.store, s.key, (s.config.surveys ?? []) as SurveyDefinition[], deps.now(), figureSettings(s)));
  });

  const CustomersQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 256 })) });
  app.get(`${P}/sites/:siteKey/customers`, { ...agentOnly, schema: { params: SiteParams, querystring: CustomersQuery, response: { 200: CustomerList } } }, async (req, reply) => {
    const s = await site(req.params.siteKey);
    return reply.send(await findCustomers(deps.store, s.key, deps.now(), req.query.q));
  });

  // The list as CSV: the same query and order (find-customers.ts, definitions.ts), up to EXPORT_LIMIT rows rather than the page's 50.
  app.get(`${P}/sites/:siteKey/customers.csv`, { ...agentOnly, schema: { params: SiteParams, querystring: CustomersQuery } }, async (req, reply) => {
    const s = await site(req.params.siteKey);
    const { customers } = await findCustomers(deps.store, s.key, deps.now(), req.query.q, EXPORT_LIMIT);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="customers-${s.key.replace(/[^A-Za-z0-9_-]/g, '_')}.csv"`)
      .send(customersCsv(customers));
  });

  app.get(`${P}/sites/:siteKey/customers/:id`, { ...agentOnly, schema: { params: Type.Object({ siteKey: Key, id: Type.String({ minLength: 1 }) }), response: { 200: CustomerProfile } } }, async (req, reply) => {
    const s = await site(req.params.siteKey);
    const c = await resolveCustomer(deps.store, s.key, req.params.id);
    if (!c) throw new ApiError('not_found', 'No such customer.');
    return reply.send(await customerProfile(deps.store, c, deps.now(), figureSettings(s)));
  });
}
