import type { Queryable } from '../store/store.js';
import type { Range } from './survey-report.js';
import { toCsv } from '../lib/csv.js';

export type AttributionModel = 'first' | 'last';
export type AttributionDimension = 'channel' | 'source' | 'medium' | 'campaign';
export const DIMENSIONS: readonly AttributionDimension[] = ['channel', 'source', 'medium', 'campaign'];

/** Goal events when a site configures none (`config.goals`). */
export const DEFAULT_GOALS = ['Order Completed', 'order_completed', 'Purchase', 'purchase'];

export interface AttributionRow {
  key: string;
  sessions: number;
  visitors: number;
  conversations: number;
  identified: number;
  conversions: number;
  revenue: number;
  /** Conversions per session, in %. */
  conversionRate: number | null;
}

export interface AttributionReport {
  model: AttributionModel;
  dimension: AttributionDimension;
  /** Drill-down: only sessions and conversions of this channel. */
  channel: string | null;
  range: Range;
  goals: string[];
  rows: AttributionRow[];
  totals: Omit<AttributionRow, 'key'>;
  /** Per UTC day and key: the chart. */
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
  o: { range: Range; model: AttributionModel; dimension: AttributionDimension; channel?: string | undefined; goals: string[] },
): Promise<AttributionReport> {
  // Per anonymous id, the key it counts under in the first-touch model: its customer's earliest session's first touch.
  const FIRST = `WITH links AS (
      SELECT DISTINCT ON (anonymous_id) anonymous_id, user_id FROM identities WHERE site_key = $1 AND verified ORDER BY anonymous_id, linked_at DESC
    ), visits AS (
      SELECT s.anonymous_id, coalesce(l.user_id, s.anonymous_id) AS customer, s.started_at,
             s.first_channel AS channel, s.first_source AS source, s.first_medium AS medium, s.first_campaign AS campaign
        FROM sessions s LEFT JOIN links l ON l.anonymous_id = s.anonymous_id WHERE s.site_key = $1
    ), firsts AS (
      SELECT DISTINCT ON (customer) customer, channel, source, medium, campaign FROM visits ORDER BY customer, started_at
    ), ft AS (
      SELECT DISTINCT v.anonymous_id, f.channel, f.source, f.medium, f.campaign FROM visits v JOIN firsts f ON f.customer = v.customer
    )`;
  const first = o.model === 'first';
  const sKey = (d: AttributionDimension) => (first ? `coalesce(ft.${d}, '${UNKNOWN}')` : `coalesce(s.last_${d}, '${UNKNOWN}')`);
  const eKey = (d: AttributionDimension) => (first ? `coalesce(ft.${d}, '${UNKNOWN}')` : `coalesce(e.payload #>> '{context,attribution,last,${d}}', '${UNKNOWN}')`);
  const params: unknown[] = [siteKey, o.range.from, o.range.to, ...(o.channel ? [o.channel] : [])];
  const sFilter = o.channel ? `AND ${sKey('channel')} = $4` : '';
  const eFilter = o.channel ? `AND ${eKey('channel')} = $4` : '';
  const withFt = first ? FIRST : '';
  const sJoin = first ? 'LEFT JOIN ft ON ft.anonymous_id = s.anonymous_id' : '';
  const eJoin = first ? 'LEFT JOIN ft ON ft.anonymous_id = e.anonymous_id' : '';
  const gp = params.length + 1;
  const inRange = `s.site_key = $1 AND s.started_at >= $2 AND s.started_at < $3 ${sFilter}`;
  const goalsInRange = `e.site_key = $1 AND e.name = ANY($${gp}) AND e.timestamp >= $2 AND e.timestamp < $3 ${eFilter}`;
  const NUM = `'^-?[0-9]+(\\.[0-9]+)?$'`;

  const [sessions, conversions, sSeries, cSeries, visitors] = await Promise.all([
    db.query<{ k: string; sessions: string; visitors: string; conversations: string; identified: string }>(
      `${withFt} SELECT ${sKey(o.dimension)} AS k, count(*) AS sessions, count(DISTINCT s.anonymous_id) AS visitors,
              coalesce(sum(c.n), 0) AS conversations,
              count(DISTINCT s.anonymous_id) FILTER (WHERE EXISTS (SELECT 1 FROM identities i WHERE i.site_key = s.site_key AND i.anonymous_id = s.anonymous_id AND i.verified)) AS identified
         FROM sessions s ${sJoin}
         LEFT JOIN (SELECT session_id, count(*) AS n FROM conversations WHERE site_key = $1 AND created_at >= $2 AND created_at < $3 AND session_id IS NOT NULL GROUP BY 1) c
           ON c.session_id = s.session_id
        WHERE ${inRange}
        GROUP BY 1`,
      params,
    ),
    db.query<{ k: string; n: string; revenue: string | null }>(
      `${withFt} SELECT ${eKey(o.dimension)} AS k, count(*) AS n,
              sum(CASE WHEN (e.payload #>> '{properties,revenue}') ~ ${NUM} THEN (e.payload #>> '{properties,revenue}')::numeric
                       WHEN (e.payload #>> '{properties,total}') ~ ${NUM} THEN (e.payload #>> '{properties,total}')::numeric END) AS revenue
         FROM events e ${eJoin} WHERE ${goalsInRange} GROUP BY 1`,
      [...params, o.goals],
    ),
    db.query<{ day: string; k: string; n: string }>(
      `${withFt} SELECT to_char(date_trunc('day', s.started_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, ${sKey(o.dimension)} AS k, count(*) AS n
         FROM sessions s ${sJoin} WHERE ${inRange} GROUP BY 1, 2`,
      params,
    ),
    db.query<{ day: string; k: string; n: string }>(
      `${withFt} SELECT to_char(date_trunc('day', e.timestamp AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, ${eKey(o.dimension)} AS k, count(*) AS n
         FROM events e ${eJoin} WHERE ${goalsInRange} GROUP BY 1, 2`,
      [...params, o.goals],
    ),
    // Distinct across keys: one visitor may arrive through several channels.
    db.query<{ n: string }>(`${withFt} SELECT count(DISTINCT s.anonymous_id) AS n FROM sessions s ${sJoin} WHERE ${inRange}`, params),
  ]);

  const rows = new Map<string, AttributionRow>();
  const row = (k: string) => {
    let r = rows.get(k);
    if (!r) rows.set(k, (r = { key: k, sessions: 0, visitors: 0, conversations: 0, identified: 0, conversions: 0, revenue: 0, conversionRate: null }));
    return r;
  };
  for (const s of sessions.rows) Object.assign(row(s.k), { sessions: Number(s.sessions), visitors: Number(s.visitors), conversations: Number(s.conversations), identified: Number(s.identified) });
  for (const c of conversions.rows) Object.assign(row(c.k), { conversions: Number(c.n), revenue: Number(c.revenue ?? 0) });
  const rate = (conv: number, sess: number) => (sess ? Math.round((conv / sess) * 1000) / 10 : null);
  for (const r of rows.values()) r.conversionRate = rate(r.conversions, r.sessions);
  const sorted = [...rows.values()].sort((a, b) => b.sessions - a.sessions || b.conversions - a.conversions || a.key.localeCompare(b.key));
  const sum = (f: keyof Omit<AttributionRow, 'key' | 'conversionRate'>) => sorted.reduce((n, r) => n + r[f], 0);
  const totalSessions = sessions.rows.reduce((n, r) => n + Number(r.sessions), 0);

  const series = new Map<string, { day: string; key: string; sessions: number; conversions: number }>();
  const point = (day: string, k: string) => {
    const id = `${day}|${k}`;
    let p = series.get(id);
    if (!p) series.set(id, (p = { day, key: k, sessions: 0, conversions: 0 }));
    return p;
  };
  for (const r of sSeries.rows) point(r.day, r.k).sessions = Number(r.n);
  for (const r of cSeries.rows) point(r.day, r.k).conversions = Number(r.n);

  return {
    model: o.model,
    dimension: o.dimension,
    channel: o.channel ?? null,
    range: o.range,
    goals: o.goals,
    rows: sorted,
    totals: {
      sessions: totalSessions,
      visitors: Number(visitors.rows[0]?.n ?? 0),
      conversations: sum('conversations'),
      identified: sum('identified'),
      conversions: sum('conversions'),
      revenue: sum('revenue'),
      conversionRate: rate(sum('conversions'), totalSessions),
    },
    series: [...series.values()].sort((a, b) => a.day.localeCompare(b.day) || a.key.localeCompare(b.key)),
  };
}

export const attributionCsv = (r: AttributionReport): string =>
  toCsv(
    [r.dimension, 'sessions', 'visitors', 'conversations', 'identified', 'conversions', 'revenue', 'conversionRate'],
    r.rows.map((x) => ({ ...x, [r.dimension]: x.key, conversionRate: x.conversionRate ?? '' })),
  );
