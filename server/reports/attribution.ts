import Type, { type Static } from 'typebox';
import type { Queryable } from '../store/store.js';
import type { Range } from './survey-report.js';
import { toCsv } from '../lib/csv.js';
import { customerKey, LINKED, QualifiedGoal, qualifiesSql, rate, revenueSql, zoneLiteral } from './definitions.js';

export type AttributionModel = 'first' | 'last';
export type AttributionDimension = 'channel' | 'source' | 'medium' | 'campaign';
export const DIMENSIONS: readonly AttributionDimension[] = ['channel', 'source', 'medium', 'campaign'];

/** Goal events when a site configures none (`config.goals`). */
export { DEFAULT_GOALS } from './definitions.js';

const Count = Type.Integer({ minimum: 0 });
const Percent = Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()]);

/**
 * One row's figures. Definitions (docs/console.md#definitions), the same on every page:
 * - `visitors`: distinct customers — a verified user counts once however many devices they used;
 * - `identified`: distinct verified users among them;
 * - `qualified`: distinct customers among the visitors whose first qualifying fact (the site's
 *   qualified goal) happened in a session of the row; `qualifiedRate` = qualified ÷ visitors;
 * - `conversions`, `revenue`: goal events and the sum of their revenue in the report's currency;
 * - `convertedSessions`: sessions with at least one goal event, under the session's own key;
 * - `conversionRate`: convertedSessions ÷ sessions, in % — never above 100 by construction.
 */
const RowFigures = {
  sessions: Count,
  visitors: Count,
  conversations: Count,
  identified: Count,
  qualified: Count,
  qualifiedRate: Percent,
  conversions: Count,
  revenue: Type.Number(),
  convertedSessions: Count,
  conversionRate: Percent,
};
export const AttributionRow = Type.Object({ key: Type.String(), ...RowFigures });
export type AttributionRow = Static<typeof AttributionRow>;

/** The report as `GET …/attribution` sends it (the route's response schema). */
export const AttributionReport = Type.Object({
  model: Type.Union([Type.Literal('first'), Type.Literal('last')]),
  dimension: Type.Enum(DIMENSIONS),
  /** Drill-down: only sessions and conversions of this channel. */
  channel: Type.Union([Type.String(), Type.Null()]),
  range: Type.Object({ from: Type.String(), to: Type.String() }),
  goals: Type.Array(Type.String()),
  /** What "qualified" means on this site (`config.qualified`); null: not set, the stage counts no one. */
  qualifiedGoal: Type.Union([QualifiedGoal, Type.Null()]),
  /** ISO 4217 code of `revenue` (the site's `config.currency`); goal events in another currency are not summed. */
  currency: Type.Union([Type.String(), Type.Null()]),
  rows: Type.Array(AttributionRow),
  totals: Type.Object(RowFigures),
  /**
   * Per local day of the site (its time zone) and key: the chart. `qualified` is the rows' own count, split
   * by the day its customer's qualifying session started (0 while no goal is set): the days add up to the row.
   */
  series: Type.Array(Type.Object({ day: Type.String(), key: Type.String(), sessions: Count, conversions: Count, qualified: Count })),
});
export type AttributionReport = Static<typeof AttributionReport>;

const UNKNOWN = '(none)';

/**
 * Sessions, visitors, conversations, identified and qualified visitors and
 * conversions per channel (or source, medium, campaign) under first- or
 * last-touch attribution.
 *
 * - First touch is the customer's: the touch that first brought them, on any
 *   of their devices (anonymous ids stitched by verified identify). Their
 *   sessions, qualification and conversions all count under it.
 * - Last touch is the moment's: a session under the last non-direct touch it
 *   started with, a qualified customer under the session they first
 *   qualified in, a conversion under the touch its own event carried.
 *
 * So a visitor brought by a newsletter who later returns from a search on
 * another device and buys is credited to Email under first touch and to
 * Organic Search under last touch.
 */
export async function attributionReport(
  db: Queryable,
  siteKey: string,
  o: { range: Range; model: AttributionModel; dimension: AttributionDimension; channel?: string | undefined; goals: string[]; qualified?: QualifiedGoal | null | undefined; currency?: string | null | undefined; timeZone?: string | undefined },
): Promise<AttributionReport> {
  const first = o.model === 'first';
  // Verified links (one user per anonymous id: the latest), and — for first touch — each
  // stitched customer's first touch: the device first touch of their earliest session.
  // Everyone else's first touch is their device's own, which every session row carries.
  const CTE = `WITH ${LINKED}${first ? `, firsts AS (
      SELECT DISTINCT ON (l.user_id) l.user_id, s.first_channel AS channel, s.first_source AS source, s.first_medium AS medium, s.first_campaign AS campaign
        FROM linked l JOIN sessions s ON s.site_key = $1 AND s.anonymous_id = l.anonymous_id ORDER BY l.user_id, s.started_at
    ), ft AS (
      SELECT l.anonymous_id, f.channel, f.source, f.medium, f.campaign FROM linked l JOIN firsts f USING (user_id)
    )` : ''}`;
  const sKey = (d: AttributionDimension) => `coalesce(${first ? `ft.${d}, s.first_${d}` : `s.last_${d}`}, '${UNKNOWN}')`;
  const eKey = (d: AttributionDimension) => `coalesce(${first ? `ft.${d}, ` : ''}e.payload #>> '{context,attribution,${o.model},${d}}', '${UNKNOWN}')`;
  const params: unknown[] = [siteKey, o.range.from, o.range.to, ...(o.channel ? [o.channel] : [])];
  const currency = o.currency ?? null;
  const sJoin = first ? 'LEFT JOIN ft ON ft.anonymous_id = s.anonymous_id' : '';
  const eJoin = first ? 'LEFT JOIN ft ON ft.anonymous_id = e.anonymous_id' : '';
  const gp = params.length + 1;
  const DAY = (col: string) => `to_char(date_trunc('day', ${col} AT TIME ZONE ${zoneLiteral(o.timeZone ?? 'UTC')}), 'YYYY-MM-DD')`;
  // The sessions of the report: started in the range, under their key.
  const X = `x AS (
      SELECT ${sKey(o.dimension)} AS k, ${DAY('s.started_at')} AS day, s.anonymous_id, s.session_id
        FROM sessions s ${sJoin}
       WHERE s.site_key = $1 AND s.started_at >= $2 AND s.started_at < $3 ${o.channel ? `AND ${sKey('channel')} = $4` : ''}
    )`;
  const goal = o.qualified ?? null;

  // Three scans, each grouped at once per key (the table) and per day and key (the chart); sessions and qualified also overall (totals).
  const [sessions, conversions, qualified] = await Promise.all([
    db.query<{ k: string | null; day: string | null; sessions: string; visitors: string; conversations: string; identified: string; converted: string }>(
      `${CTE}, ${X}, c AS (
         SELECT session_id, count(*) AS n FROM conversations WHERE site_key = $1 AND created_at >= $2 AND created_at < $3 AND session_id IS NOT NULL GROUP BY 1
       ), g AS (
         SELECT DISTINCT session_id FROM events WHERE site_key = $1 AND name = ANY($${gp}) AND timestamp >= $2 AND timestamp < $3 AND session_id IS NOT NULL
       )
       SELECT x.k, x.day, count(*) AS sessions, count(DISTINCT ${customerKey('x.anonymous_id')}) AS visitors, coalesce(sum(c.n), 0) AS conversations,
              count(DISTINCT l.user_id) AS identified, count(g.session_id) AS converted
         FROM x LEFT JOIN c ON c.session_id = x.session_id LEFT JOIN linked l ON l.anonymous_id = x.anonymous_id LEFT JOIN g ON g.session_id = x.session_id
        GROUP BY GROUPING SETS ((x.k), (x.day, x.k), ())`,
      [...params, o.goals],
    ),
    db.query<{ k: string | null; day: string | null; n: string; revenue: string | null }>(
      `${CTE}
       SELECT ${eKey(o.dimension)} AS k, ${DAY('e.timestamp')} AS day, count(*) AS n, sum(${revenueSql(`$${gp + 1}`)}) AS revenue
         FROM events e ${eJoin}
        WHERE e.site_key = $1 AND e.name = ANY($${gp}) AND e.timestamp >= $2 AND e.timestamp < $3 ${o.channel ? `AND ${eKey('channel')} = $4` : ''}
        GROUP BY GROUPING SETS ((1), (2, 1))`,
      [...params, o.goals, currency],
    ),
    // Qualification is a stage a customer reaches once: their first qualifying event ever (on
    // any of their devices) places them in the session it happened in, so they count in that
    // session's row and period only — among its visitors, never beyond them.
    goal
      ? db.query<{ k: string | null; day: string | null; n: string }>(
          `${CTE}, ${X}, q AS (
             SELECT DISTINCT ON (1) ${customerKey('e.anonymous_id')} AS customer, e.anonymous_id, e.session_id
               FROM events e LEFT JOIN linked l ON l.anonymous_id = e.anonymous_id
              WHERE e.site_key = $1 AND e.session_id IS NOT NULL AND ${qualifiesSql(goal, `$${gp}`, `$${gp + 1}`)}
              ORDER BY 1, e.timestamp, e.id
           )
           SELECT x.k, x.day, count(DISTINCT q.customer) AS n FROM x JOIN q ON q.session_id = x.session_id AND q.anonymous_id = x.anonymous_id
            GROUP BY GROUPING SETS ((x.k), (x.day, x.k), ())`,
          // An event goal has no value parameter: PostgreSQL refuses a parameter it cannot type.
          [...params, goal.name, ...(goal.type === 'trait' ? [goal.equals ?? null] : [])],
        )
      : { rows: [] },
  ]);

  const rows = new Map<string, AttributionRow>();
  const row = (k: string) => {
    let r = rows.get(k);
    if (!r) rows.set(k, (r = { key: k, sessions: 0, visitors: 0, conversations: 0, identified: 0, qualified: 0, qualifiedRate: null, conversions: 0, revenue: 0, convertedSessions: 0, conversionRate: null }));
    return r;
  };
  const series = new Map<string, AttributionReport['series'][number]>();
  const point = (day: string, k: string) => {
    const id = `${day}|${k}`;
    let p = series.get(id);
    if (!p) series.set(id, (p = { day, key: k, sessions: 0, conversions: 0, qualified: 0 }));
    return p;
  };
  let total = { sessions: 0, visitors: 0, conversations: 0, identified: 0, convertedSessions: 0 };
  for (const r of sessions.rows) {
    const figures = { sessions: Number(r.sessions), visitors: Number(r.visitors), conversations: Number(r.conversations), identified: Number(r.identified), convertedSessions: Number(r.converted) };
    if (r.k === null) total = figures;
    else if (r.day === null) Object.assign(row(r.k), figures);
    else point(r.day, r.k).sessions = figures.sessions;
  }
  for (const r of conversions.rows) {
    if (r.day === null) Object.assign(row(r.k!), { conversions: Number(r.n), revenue: Number(r.revenue ?? 0) });
    else point(r.day, r.k!).conversions = Number(r.n);
  }
  let qualifiedTotal = 0;
  for (const r of qualified.rows) {
    if (r.k === null) qualifiedTotal = Number(r.n);
    else if (r.day === null) row(r.k).qualified = Number(r.n);
    else point(r.day, r.k).qualified = Number(r.n);
  }
  for (const r of rows.values()) {
    r.conversionRate = rate(r.convertedSessions, r.sessions);
    r.qualifiedRate = goal ? rate(r.qualified, r.visitors) : null;
  }
  const sorted = [...rows.values()].sort((a, b) => b.sessions - a.sessions || b.conversions - a.conversions || a.key.localeCompare(b.key));
  const conversionsTotal = sorted.reduce((n, r) => n + r.conversions, 0);
  return {
    model: o.model,
    dimension: o.dimension,
    channel: o.channel ?? null,
    range: o.range,
    goals: o.goals,
    qualifiedGoal: goal,
    currency,
    rows: sorted,
    // Visitors (and so qualified visitors) are distinct across keys: one visitor may arrive through several channels.
    totals: {
      ...total,
      qualified: qualifiedTotal,
      qualifiedRate: goal ? rate(qualifiedTotal, total.visitors) : null,
      conversions: conversionsTotal,
      revenue: sorted.reduce((n, r) => n + r.revenue, 0),
      conversionRate: rate(total.convertedSessions, total.sessions),
    },
    series: [...series.values()].sort((a, b) => a.day.localeCompare(b.day) || a.key.localeCompare(b.key)),
  };
}

export const attributionCsv = (r: AttributionReport): string =>
  toCsv(
    // Qualified last: columns only ever added at the end, so a sheet reading them by position keeps working.
    [r.dimension, 'sessions', 'visitors', 'conversations', 'identified', 'conversions', 'revenue', 'currency', 'convertedSessions', 'conversionRate', 'qualified', 'qualifiedRate'],
    r.rows.map((x) => ({ ...x, [r.dimension]: x.key, currency: r.currency ?? '', conversionRate: x.conversionRate ?? '', qualifiedRate: x.qualifiedRate ?? '' })),
  );
