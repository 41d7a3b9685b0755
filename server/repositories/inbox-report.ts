import Type, { type Static } from 'typebox';
import { Nullable } from '../lib/nullable.js';
import type { Queryable } from '../store/store.js';

/** One agent's or team's figures over conversations whose first-response clock started in the window. */
export const InboxReportRow = Type.Object({
  id: Nullable(Type.String()),
  name: Type.String(),
  conversations: Type.Integer(),
  /** Median seconds from the hand-over to the first agent message, over those answered. */
  firstResponseMedianSeconds: Nullable(Type.Number()),
  answered: Type.Integer(),
  /** Median seconds from the hand-over to resolution, over those resolved. */
  resolutionMedianSeconds: Nullable(Type.Number()),
  resolved: Type.Integer(),
  /** The site's SLA target missed (first response later than the target, or none yet past it). */
  slaBreached: Type.Integer(),
  /** CSAT: answers (1–5) of csat questions from the survey a resolved chat triggered (linked by conversation id). */
  csatAnswers: Type.Integer(),
  csatAverage: Nullable(Type.Number()),
  /** Share of 4s and 5s, 0–1. */
  csatSatisfied: Nullable(Type.Number()),
});
export type InboxReportRow = Static<typeof InboxReportRow>;

export const InboxReport = Type.Object({ from: Type.String(), to: Type.String(), agents: Type.Array(InboxReportRow), teams: Type.Array(InboxReportRow) });
export type InboxReport = Static<typeof InboxReport>;

/**
 * Per agent (the assignee; unassigned ones as "Unassigned") and per team.
 * `csat` lists the site's csat questions as `surveyId/questionId`: the
 * answers table keeps no question type, the survey definitions do.
 */
export const inboxReport = async (db: Queryable, siteKey: string, from: string, to: string, now: string, csat: string[]): Promise<InboxReport> => {
  const figures = (group: string, name: string, join: string) => `
    WITH c AS (
      SELECT c.*, ${group} AS gid,
             extract(epoch FROM c.first_response_at - c.waiting_since) AS frt,
             CASE WHEN c.status = 'closed' THEN extract(epoch FROM c.closed_at - c.waiting_since) END AS rt,
             coalesce(c.waiting_since + s.sla_first_response_s * interval '1 second' < coalesce(c.first_response_at, c.closed_at, $4::timestamptz), false) AS breached
        FROM conversations c LEFT JOIN inbox_settings s ON s.site_key = c.site_key
       WHERE c.site_key = $1 AND c.waiting_since >= $2 AND c.waiting_since < $3
    ), a AS (
      SELECT c.gid, (x.value #>> '{}')::float8 AS v
        FROM c JOIN survey_answers x ON x.site_key = $1 AND x.conversation_id = c.id AND (x.survey_id || '/' || x.question_id) = ANY($5::text[])
       WHERE jsonb_typeof(x.value) = 'number'
    )
    SELECT g.gid AS id, ${name} AS name, g.n::int AS conversations, g.frt AS "firstResponseMedianSeconds", g.answered::int AS answered,
           g.rt AS "resolutionMedianSeconds", g.resolved::int AS resolved, g.breached::int AS "slaBreached",
           coalesce(s.n, 0)::int AS "csatAnswers", s.avg AS "csatAverage", s.sat AS "csatSatisfied"
      FROM (SELECT gid, count(*) AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY frt) AS frt, count(frt) AS answered,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY rt) AS rt, count(rt) AS resolved, count(*) FILTER (WHERE breached) AS breached
              FROM c GROUP BY gid) g
      LEFT JOIN (SELECT gid, count(*) AS n, avg(v) AS avg, avg(CASE WHEN v >= 4 THEN 1.0 ELSE 0.0 END) AS sat FROM a GROUP BY gid) s ON s.gid IS NOT DISTINCT FROM g.gid
      ${join}
     ORDER BY name`;
  const p = [siteKey, from, to, now, csat];
  const [agents, teams] = await Promise.all([
    db.query<InboxReportRow>(figures('c.assignee_id', "coalesce(ag.name, 'Unassigned')", 'LEFT JOIN agents ag ON ag.id = g.gid'), p),
    db.query<InboxReportRow>(figures('c.team_id', "coalesce(t.name, 'No team')", 'LEFT JOIN teams t ON t.id = g.gid'), p),
  ]);
  const num = (r: InboxReportRow): InboxReportRow => ({
    ...r,
    firstResponseMedianSeconds: r.firstResponseMedianSeconds === null ? null : Number(r.firstResponseMedianSeconds),
    resolutionMedianSeconds: r.resolutionMedianSeconds === null ? null : Number(r.resolutionMedianSeconds),
    csatAverage: r.csatAverage === null ? null : Number(r.csatAverage),
    csatSatisfied: r.csatSatisfied === null ? null : Number(r.csatSatisfied),
  });
  return { from, to, agents: agents.rows.map(num), teams: teams.rows.map(num) };
};
