import type { FastifyInstance, FastifyRequest } from 'fastify';
import { API_PREFIX, type SurveyDefinition } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { dateRange } from '../lib/date-range.js';
import { customerProfile, resolveCustomer } from '../customers/customer-profile.js';
import { findCustomers } from '../customers/find-customers.js';
import { attributionCsv, attributionReport, DEFAULT_GOALS, DIMENSIONS, type AttributionDimension } from '../reports/attribution.js';
import { overview } from '../reports/overview.js';
import { requireAgent } from '../lib/require-agent.js';

/** Customers, the overview and the attribution report for the console (agent session required): docs/console.md. */
export function registerAgentCustomers(app: FastifyInstance, deps: Deps): void {
  const P = `${API_PREFIX}/agent`;

  const site = async (req: FastifyRequest) => {
    await requireAgent(deps, req);
    const s = await deps.sites.get((req.params as { siteKey: string }).siteKey);
    if (!s) throw new ApiError('not_found', 'No such site.');
    return s;
  };

  app.get(`${P}/sites`, async (req, reply) => {
    await requireAgent(deps, req);
    const { rows } = await deps.store.query<{ key: string; name: string }>('SELECT key, name FROM sites ORDER BY name');
    return reply.send({ sites: rows });
  });

  app.get(`${P}/sites/:siteKey/overview`, async (req, reply) => {
    const s = await site(req);
    return reply.send(await overview(deps.store, s.key, (s.config.surveys ?? []) as SurveyDefinition[], deps.now()));
  });

  app.get(`${P}/sites/:siteKey/customers`, async (req, reply) => {
    const s = await site(req);
    const q = (req.query as { q?: unknown }).q;
    if (q !== undefined && (typeof q !== 'string' || q.length > 256)) throw new ApiError('invalid_body', '?q: a text of at most 256 characters', '?q');
    return reply.send(await findCustomers(deps.store, s.key, deps.now(), q));
  });

  app.get(`${P}/sites/:siteKey/customers/:id`, async (req, reply) => {
    const s = await site(req);
    const c = await resolveCustomer(deps.store, s.key, (req.params as { id: string }).id);
    if (!c) throw new ApiError('not_found', 'No such customer.');
    return reply.send(await customerProfile(deps.store, c, deps.now()));
  });

  const attribution = async (req: FastifyRequest) => {
    const s = await site(req);
    const q = req.query as { from?: string; to?: string; model?: string; dimension?: string; channel?: string };
    const model = q.model ?? 'first';
    if (model !== 'first' && model !== 'last') throw new ApiError('invalid_body', '?model: `first` or `last`', '?model');
    const dimension = (q.dimension ?? 'channel') as AttributionDimension;
    if (!DIMENSIONS.includes(dimension)) throw new ApiError('invalid_body', `?dimension: one of ${DIMENSIONS.join(', ')}`, '?dimension');
    const goals = Array.isArray(s.config.goals) && s.config.goals.length ? (s.config.goals as string[]) : DEFAULT_GOALS;
    const currency = typeof s.config.currency === 'string' && /^[A-Za-z]{3}$/.test(s.config.currency) ? s.config.currency.toUpperCase() : null;
    return attributionReport(deps.store, s.key, { range: dateRange(q, deps.now()), model, dimension, channel: q.channel || undefined, goals, currency });
  };

  app.get(`${P}/sites/:siteKey/attribution`, async (req, reply) => reply.send(await attribution(req)));

  app.get(`${P}/sites/:siteKey/attribution.csv`, async (req, reply) => {
    const r = await attribution(req);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="attribution-${r.model}-${r.dimension}-${r.range.from.slice(0, 10)}.csv"`)
      .send(attributionCsv(r));
  });
}
