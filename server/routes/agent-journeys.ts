import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX, HelpSettings, type SurveyDefinition } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { signedIn } from '../lib/require-agent.js';
import { managerOnly } from '../lib/manager-only.js';
import { checkHelpSettings } from '../help-rules/check-help-settings.js';
import { FunnelQuery, funnelReport } from '../reports/funnel.js';
import { struggleReport } from '../reports/struggle.js';
import { siteDateRange } from '../reports/site-days.js';
import { siteZone } from '../lib/site-time.js';
import { AGENT_BODY_LIMIT } from './agent.js';

const SiteParams = Type.Object({ siteKey: Type.String({ minLength: 1, maxLength: 64 }) });

/**
 * Journeys for the console (agent session): `POST /v1/agent/sites/{site}/funnel?from&to`
 * (the site's local days) with the steps in the body (docs/console.md#funnels). A POST because a
 * funnel is a query with structure, not a resource; it changes nothing.
 * The site's real-time help rules (docs/console.md#help-rules): any agent
 * reads them, owners and admins replace them (`PUT …/help-rules`); they are
 * stored in the site config and delivered with it to browsers.
 */
export function registerAgentJourneys(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const siteOf = async (key: string) => {
    const site = await deps.sites.get(key);
    if (!site) throw new ApiError('not_found', 'No such site.');
    return site;
  };
  const surveysOf = (site: { config: { surveys?: unknown } }) => (site.config.surveys as SurveyDefinition[] | undefined) ?? [];
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
      const site = await siteOf(req.params.siteKey);
      return reply.send(await funnelReport(deps.store, site.key, req.body, siteDateRange(req.query, deps.now(), siteZone(site)), surveysOf(site)));
    },
  );

  // Pages ranked by their struggle score (docs/console.md#struggle), over the site's local days.
  app.get(
    `${API_PREFIX}/agent/sites/:siteKey/struggle`,
    {
      onRequest: signedIn(deps),
      schema: {
        params: SiteParams,
        querystring: Type.Object({ from: Type.Optional(Type.String({ maxLength: 10 })), to: Type.Optional(Type.String({ maxLength: 10 })), minSessions: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,5}$', description: 'Pages with fewer sessions are not ranked (default 30).' })) }),
      },
    },
    async (req, reply) => {
      const site = await siteOf(req.params.siteKey);
      return reply.send(await struggleReport(deps.store, site.key, surveysOf(site), siteDateRange(req.query, deps.now(), siteZone(site)), req.query.minSessions ? Number(req.query.minSessions) : undefined));
    },
  );

  app.get(`${API_PREFIX}/agent/sites/:siteKey/help-rules`, { onRequest: signedIn(deps), schema: { params: SiteParams, response: { 200: HelpSettings } } }, async (req, reply) => {
    const site = await siteOf(req.params.siteKey);
    return reply.send((site.config.help as HelpSettings | undefined) ?? { rules: [] });
  });
  app.put(
    `${API_PREFIX}/agent/sites/:siteKey/help-rules`,
    { onRequest: managerOnly(deps), bodyLimit: AGENT_BODY_LIMIT, schema: { params: SiteParams, body: HelpSettings, response: { 200: HelpSettings } } },
    async (req, reply) => {
      const site = await siteOf(req.params.siteKey);
      checkHelpSettings(req.body, site.config);
      // One statement: the help key of the config only, every other setting kept; every instance hears of it.
      const saved = await deps.sites.update(site.key, { config: { help: req.body.rules.length ? req.body : null } });
      return reply.send((saved?.config.help as HelpSettings | undefined) ?? { rules: [] });
    },
  );
}
