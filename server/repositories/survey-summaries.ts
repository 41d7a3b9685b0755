import Type, { type Static } from 'typebox';
import type { SurveyDefinition } from 'touchpoint/protocol';
import type { Queryable } from '../store/store.js';
import { sitesByName } from './sites-by-name.js';

/** One survey of the console's picker: the response schema and the console's type. */
export const SurveySummary = Type.Object({
  siteKey: Type.String(),
  siteName: Type.String(),
  id: Type.String(),
  version: Type.Integer(),
  types: Type.Array(Type.String()),
  /** Responses to this version alone: the picker names the current version. */
  responses: Type.Integer(),
});
export type SurveySummary = Static<typeof SurveySummary>;

/** Every site's surveys (sites by name), each with its current version's response count. */
export async function surveySummaries(db: Queryable): Promise<SurveySummary[]> {
  const [sites, { rows: counts }] = await Promise.all([
    sitesByName(db),
    db.query<{ site_key: string; survey_id: string; survey_version: number; n: string }>(
      'SELECT site_key, survey_id, survey_version, count(DISTINCT response_id) AS n FROM survey_answers GROUP BY 1, 2, 3',
    ),
  ]);
  const n = new Map(counts.map((c) => [`${c.site_key}|${c.survey_id}|${c.survey_version}`, Number(c.n)]));
  return sites.flatMap((s) =>
    ((s.config.surveys ?? []) as SurveyDefinition[]).map((d) => ({ siteKey: s.key, siteName: s.name, id: d.id, version: d.version, types: d.questions.map((q) => q.type), responses: n.get(`${s.key}|${d.id}|${d.version}`) ?? 0 })),
  );
}
