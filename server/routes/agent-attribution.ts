import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { signedIn } from '../lib/require-agent.js';
import { AttributionReport, attributionCsv, attributionReport, DIMENSIONS } from '../reports/attribution.js';
import { figureSettings, qualifiedGoal } from '../reports/definitions.js';
import { siteDateRange } from '../reports/site-days.js';

const SiteParams = Type.Object({ siteKey: Type.String({ minLength: 1, maxLength: 64 }) });
const AttributionQuery = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 10 })),
  to: Type.Optional(Type.String({ maxLength: 10 })),
  model: Type.Optional(Type.Enum(['first', 'last'])),
  dimension: Type.Optional(Type.Enum(DIMENSIONS)),
  channel: Type.Optional(Type.String({ maxLength: 64 })),
});
type AttributionQuery = { from?: string; to?: string; model?: 'first' | 'last'; dimension?: (typeof DIMENSIONS)[number]; channel?: string };

/**
 * The attribution report for the console (agent session required;
 * docs/console.md#attribution): JSON for the page, the same table as CSV.
 * The qualified stage's goal is the site's `config.qualified` (a settings
 * section, saved through `PUT …/site-settings`).
 */
export function registerAgentAttribution(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const P = `${API_PREFIX}/agent/sites/:siteKey`;
  const agentOnly = { onRequest: signedIn(deps) };

  const attribution = async (siteKey: string, q: AttributionQuery) => {
    const s = await deps.sites.get(siteKey);
    if (!s) throw new ApiError('not_found', 'No such site.');
    const { goals, currency, timeZone } = figureSettings(s);
    return attributionReport(deps.store, s.key, {
      range: siteDateRange(q, deps.now(), timeZone),
      model: q.model ?? 'first',
      dimension: q.dimension ?? 'channel',
      channel: q.channel || undefined,
      goals,
      qualified: qualifiedGoal(s),
      currency,
      timeZone,
    });
  };

  app.get(`${P}/attribution`, { ...agentOnly, schema: { params: SiteParams, querystring: AttributionQuery, response: { 200: AttributionReport } } }, async (req, reply) =>
    reply.send(await attribution(req.params.siteKey, req.query)),
  );

  app.get(`${P}/attribution.csv`, { ...agentOnly, schema: { params: SiteParams, querystring: AttributionQuery } }, async (req, reply) => {
    const r = await attribution(req.params.siteKey, req.query);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="attribution-${r.model}-${r.dimension}-${r.range.from.slice(0, 10)}.csv"`)
      .send(attributionCsv(r));
  });
}
