import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { API_PREFIX, type SurveyDefinition } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { siteZone } from '../lib/site-time.js';
import { siteDateRange } from '../reports/site-days.js';
import { signedIn } from '../lib/require-agent.js';
import { SurveyReport, surveyAnswersCsv, surveyReport } from '../reports/survey-report.js';
import { SurveySummary, surveySummaries } from '../repositories/survey-summaries.js';

const Key = Type.String({ minLength: 1, maxLength: 64 });
/** `?from=&to=` as the site's local days; siteDateRange() reads them (a bad day is `?from` / `?to`). */
const DateQuery = Type.Object({ from: Type.Optional(Type.String({ maxLength: 10 })), to: Type.Optional(Type.String({ maxLength: 10 })) });
const SurveyReportRoute = { params: Type.Object({ siteKey: Key, surveyId: Key }), querystring: DateQuery };

/** Survey reports for the console (agent session required): docs/console.md. */
export function registerAgentSurveys(fastify: FastifyInstance, deps: Deps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const P = `${API_PREFIX}/agent`;

  const survey = async (params: { siteKey: string; surveyId: string }, query: { from?: string; to?: string }) => {
    const site = await deps.sites.get(params.siteKey);
    const def = ((site?.config.surveys ?? []) as SurveyDefinition[]).find((s) => s.id === params.surveyId);
    if (!site || !def) throw new ApiError('not_found', 'No such survey.');
    const timeZone = siteZone(site);
    return { siteKey: site.key, def, timeZone, range: siteDateRange(query, deps.now(), timeZone) };
  };

  app.get(`${P}/surveys`, { onRequest: signedIn(deps), schema: { response: { 200: Type.Object({ surveys: Type.Array(SurveySummary) }) } } }, async (_req, reply) =>
    reply.send({ surveys: await surveySummaries(deps.store) }),
  );

  app.get(`${P}/sites/:siteKey/surveys/:surveyId/report`, { onRequest: signedIn(deps), schema: { ...SurveyReportRoute, response: { 200: SurveyReport } } }, async (req, reply) => {
    const { siteKey, def, range, timeZone } = await survey(req.params, req.query);
    return reply.send(await surveyReport(deps.store, siteKey, def, range, timeZone));
  });

  app.get(`${P}/sites/:siteKey/surveys/:surveyId/answers.csv`, { onRequest: signedIn(deps), schema: SurveyReportRoute }, async (req, reply) => {
    const { siteKey, def, range } = await survey(req.params, req.query);
    const csv = await surveyAnswersCsv(deps.store, siteKey, def, range);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${def.id}-${range.from.slice(0, 10)}.csv"`)
      .send(csv);
  });
}
