import type { Queryable } from '../store/store.js';
import type { Range } from './survey-report.js';
import { toCsv } from '../lib/csv.js';
import { zoneLiteral } from './definitions.js';

export type AttributionModel = 'first' | 'last';
export type AttributionDimension = 'channel' | 'source' | 'medium' | 'campaign';
export const DIMENSIONS: readonly AttributionDimension[] = ['channel', 'source', 'medium', 'campaign'];

/** Goal events when a site configures none (`config.goals`). */
export { DEFAULT_GOALS } from './definitions.js';

/**
 * One row's figures. Definitions (docs/console.md#definitions), the same on every page:
 * - `visitors`: distinct customers — a verified user counts once however many devices they used;
 * - `identified`: distinct verified users among them;
 * - `conversions`, `revenue`: goal events and the sum of their revenue in the report's currency;
 * - `convertedSessions`: sessions with at least one goal event, under the session's own key;
 * - `conversionRate`: convertedSessions ÷ sessions, in % — never above 100 by construction.
 */
export interface AttributionRow {
  key: string;
  sessions: number;
  visitors: number;
  conversations: number;
  identified: number;
  conversions: number;
  revenue: number;
  convertedSessions: number;
  conversionRate: number | null;
}

export interface AttributionReport {
  model: AttributionModel;
  dimension: AttributionDimension;
  /** Drill-down: only sessions and conversions of this channel. */
  channel: string | null;
  range: Range;
  goals: string[];
  /** ISO 4217 code of `revenue` (the site's `config.currency`); goal events in another currency are not summed. */
  currency: string | null;
  rows: AttributionRow[];
  totals: Omit<AttributionRow, 'key'>;
  /** Per local day of the site (its time zone) and key: the chart. */
  series: { day: string; key: string; sessions: number; conversions: number }[];
}

const UNKNOWN = '(none)';

/**
 * Sessions, visitors, conversations, identified visitors and conversions per
 * channel (or source, medium, campaign) under first- or last-touch
 * attribution.
 *
 * - First touch is the customer's: the touch that first brought them, on any
 *   of their devices (anonymous ids stitched by verified identify). Their
 *   sessions and conversions all count under it.
 * - Last touch is the moment's: a session under the last non-direct touch it
 *   started with, a conversion under the one its own event carried.
 *
 * So a visitor brought by a newsletter who later returns from a search on
 * another device and buys is credited to Email under first touch and to
 * Organic Search under last touch.
 */
export async function attributionReport(
  db: Queryable,
  siteKey: string,
  o: { range: Range; model: AttributionModel; dimension: AttributionDimension; channel?: string | undefined; goals: string[]; currency?: string | null | undefined; timeZone?: string | undefined },
): Promise<AttributionReport> {
  const first = o.model === 'first';
  // Verified links (one user per anonymous id: the latest), and — for first touch — each
  // stitched customer's first touch: the device first touch of their earliest session.
  // Everyone else's first touch is their device's own, which every session row carries.
  const CTE = `WITH linked AS (
      SELECT DISTINCT ON (anonymous_id) anonymous_id, user_id FROM identities WHERE site_key = $1 AND verified ORDER BY anonymous_id, linked_at DESC
    )${first ? `, firsts AS (
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
  const NUM = `'^-?[0-9]+(\\.[0-9]+)?$'`;
  const DAY = (col: string) => `to_char(date_trunc('day', ${col} AT TIME ZONE ${zoneLiteral(o.timeZone ?? 'UTC')}), 'YYYY-MM-DD')`;

  // Two scans, each grouped three ways at once: per key (the table), per day and key (the chart), overall (totals).
  const [sessions, conversions] = await Promise.all([
    db.query<{ k: string | null; day: string | null; sessions: string; visitors: string; conversations: string; identified: string; converted: string }>(
      `${CTE}, x AS (
         SELECT ${sKey(o.dimension)} AS k, ${DAY('s.started_at')} AS day, s.anonymous_id, s.session_id
           FROM sessions s ${sJoin}
          WHERE s.site_key = $1 AND s.started_at >= $2 AND s.started_at < $3 ${o.channel ? `AND ${sKey('channel')} = $4` : ''}
       ), c AS (
         SELECT session_id, count(*) AS n FROM conversations WHERE site_key = $1 AND created_at >= $2 AND created_at < $3 AND session_id IS NOT NULL GROUP BY 1
       ), g AS (
         SELECT DISTINCT session_id FROM events WHERE site_key = $1 AND name = ANY($${gp}) AND timestamp >= $2 AND timestamp < $3 AND session_id IS NOT NULL
       )
       SELECT x.k, x.day, count(*) AS sessions, count(DISTINCT coalesce('u:' || l.user_id, 'a:' || x.anonymous_id)) AS visitors, coalesce(sum(c.n), 0) AS conversations,
              count(DISTINCT l.user_id) AS identified, count(g.session_id) AS converted
         FROM x LEFT JOIN c ON c.session_id = x.session_id LEFT JOIN linked l ON l.anonymous_id = x.anonymous_id LEFT JOIN g ON g.session_id = x.session_id
        GROUP BY GROUPING SETS ((x.k), (x.day, x.k), ())`,
      [...params, o.goals],
    ),
    db.query<{ k: string | null; day: string | null; n: string; revenue: string | null }>(
      `${CTE}
       SELECT ${eKey(o.dimension)} AS k, ${DAY('e.timestamp')} AS day, count(*) AS n,
              sum(CASE WHEN upper(coalesce(e.payload #>> '{properties,currency}', $${gp + 1}::text, '')) <> upper(coalesce($${gp + 1}::text, e.payload #>> '{properties,currency}', '')) THEN NULL
                       WHEN (e.payload #>> '{properties,revenue}') ~ ${NUM} THEN (e.payload #>> '{properties,revenue}')::numeric
                       WHEN (e.payload #>> '{properties,total}') ~ ${NUM} THEN (e.payload #>> '{properties,total}')::numeric END) AS revenue
         FROM events e ${eJoin}
        WHERE e.site_key = $1 AND e.name = ANY($${gp}) AND e.timestamp >= $2 AND e.timestamp < $3 ${o.channel ? `AND ${eKey('channel')} = $4` : ''}
        GROUP BY GROUPING SETS ((1), (2, 1))`,
      [...params, o.goals, currency],
    ),
  ]);

  const rows = new Map<string, AttributionRow>();
  const row = (k: string) => {
    let r = rows.get(k);
    if (!r) rows.set(k, (r = { key: k, sessions: 0, visitors: 0, conversations: 0, identified: 0, conversions: 0, revenue: 0, convertedSessions: 0, conversionRate: null }));
    return r;
  };
  const series = new Map<string, { day: string; key: string; sessions: number; conversions: number }>();
  const point = (day: string, k: string) => {
    const id = `${day}|${k}`;
    let p = series.get(id);
    if (!p) series.set(id, (p = { day, key: k, sessions: 0, conversions: 0 }));
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
  const rate = (converted: number, sess: number) => (sess ? Math.round((converted / sess) * 1000) / 10 : null);
  for (const r of rows.values()) r.conversionRate = rate(r.convertedSessions, r.sessions);
  const sorted = [...rows.values()].sort((a, b) => b.sessions - a.sessions || b.conversions - a.conversions || a.key.localeCompare(b.key));
  const conversionsTotal = sorted.reduce((n, r) => n + r.conversions, 0);
  return {
    model: o.model,
    dimension: o.dimension,
    channel: o.channel ?? null,
    range: o.range,
    goals: o.goals,
    currency,
    rows: sorted,
    // Visitors are distinct across keys: one visitor may arrive through several channels.
    totals: { ...total, conversions: conversionsTotal, revenue: sorted.reduce((n, r) => n + r.revenue, 0), conversionRate: rate(total.convertedSessions, total.sessions) },
    series: [...series.values()].sort((a, b) => a.day.localeCompare(b.day) || a.key.localeCompare(b.key)),
  };
}

export const attributionCsv = (r: AttributionReport): string =>
  toCsv(
    [r.dimension, 'sessions', 'visitors', 'conversations', 'identified', 'conversions', 'revenue', 'currency', 'convertedSessions', 'conversionRate'],
    r.rows.map((x) => ({ ...x, [r.dimension]: x.key, currency: r.currency ?? '', conversionRate: x.conversionRate ?? '' })),
  );
