import type { FastifyInstance, FastifyRequest } from 'fastify';
import { API_PREFIX, type SurveyDefinition } from 'touchpoint/protocol';
import type { Deps } from '../deps.js';
import { ApiError } from '../lib/api-error.js';
import { dateRange } from '../lib/date-range.js';
import { surveyAnswersCsv, surveyReport } from '../reports/survey-report.js';
import { requireAgent } from '../lib/require-agent.js';

/** Survey reports for the console (agent session required): docs/console.md. */
export function registerAgentSurveys(app: FastifyInstance, deps: Deps): void {
  const P = `${API_PREFIX}/agent`;

  const survey = async (req: FastifyRequest) => {
    await requireAgent(deps, req);
    const { siteKey, surveyId } = req.params as { siteKey: string; surveyId: string };
    const site = await deps.sites.get(siteKey);
    const def = ((site?.config.surveys ?? []) as SurveyDefinition[]).find((s) => s.id === surveyId);
    if (!site || !def) throw new ApiError('not_found', 'No such survey.');
    return { siteKey, def, range: dateRange(req.query as { from?: string; to?: string }, deps.now()) };
  };

  app.get(`${P}/surveys`, async (req, reply) => {
    await requireAgent(deps, req);
    const { rows: sites } = await deps.store.query<{ key: string; name: string; config: { surveys?: SurveyDefinition[] } }>('SELECT key, name, config FROM sites ORDER BY name');
    // Per version: the picker names the current version, and its count must be that version's alone.
    const { rows: counts } = await deps.store.query<{ site_key: string; survey_id: string; survey_version: number; n: string }>(
      'SELECT site_key, survey_id, survey_version, count(DISTINCT response_id) AS n FROM survey_answers GROUP BY 1, 2, 3',
    );
    const n = new Map(counts.map((c) => [`${c.site_key}|${c.survey_id}|${c.survey_version}`, Number(c.n)]));
    return reply.send({
      surveys: sites.flatMap((s) =>
        (s.config.surveys ?? []).map((d) => ({ siteKey: s.key, siteName: s.name, id: d.id, version: d.version, types: d.questions.map((q) => q.type), responses: n.get(`${s.key}|${d.id}|${d.version}`) ?? 0 })),
      ),
    });
  });

  app.get(`${P}/sites/:siteKey/surveys/:surveyId/report`, async (req, reply) => {
    const { siteKey, def, range } = await survey(req);
    return reply.send(await surveyReport(deps.store, siteKey, def, range));
  });

  app.get(`${P}/sites/:siteKey/surveys/:surveyId/answers.csv`, async (req, reply) => {
    const { siteKey, def, range } = await survey(req);
    const csv = await surveyAnswersCsv(deps.store, siteKey, def, range);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${def.id}-${range.from.slice(0, 10)}.csv"`)
      .send(csv);
  });
}
