import Type, { type Static } from 'typebox';
import type { Queryable } from '../store/store.js';
import type { Site } from '../sites.js';
import type { Range } from './survey-report.js';
import { siteCurrency, siteZone } from '../lib/site-time.js';

/**
 * One definition per figure, the SQL every page and CSV counts with
 * (docs/console.md#definitions). A page that counts customers, sessions,
 * visitors, identified customers, conversions or revenue builds its query
 * from these pieces, so two pages can never disagree about what a word means.
 *
 * Conventions: `$1` is always the site key; other parameters are named by
 * the caller (`p(n)` below gives `$n`).
 */

/** Goal events when a site configures none (`config.goals`). */
export const DEFAULT_GOALS = ['Order Completed', 'order_completed', 'Purchase', 'purchase'];

/** "Online now": a customer whose latest event is this recent. */
export const ONLINE_MS = 5 * 60_000;

/** What a site's figures are counted in: its goal events, its currency and the zone its days begin in. */
export interface FigureSettings {
  goals: string[];
  /** ISO 4217, upper case; null when the site names none (revenue is then summed whatever its currency). */
  currency: string | null;
  /** IANA zone of the site's days ("today", charts, date ranges). */
  timeZone: string;
}

/**
 * The site's settings that figures depend on: its goals (config.goals), and
 * its currency and zone as lib/site-time.ts reads them — one reading for
 * every report.
 */
export const figureSettings = (site: Pick<Site, 'config'>): FigureSettings => {
  const c = site.config;
  const goals = Array.isArray(c.goals) && c.goals.length && c.goals.every((g) => typeof g === 'string') ? (c.goals as string[]) : DEFAULT_GOALS;
  return { goals, currency: siteCurrency(site) ?? null, timeZone: siteZone(site) };
};

/**
 * What makes a customer **qualified** (attribution's stage between contacts
 * and sales; `config.qualified`, edited on the Attribution page): a tracked
 * event by name (`Lead Qualified`), or a trait an identify set — present
 * (not null, not empty) or, with `equals`, equal to that text.
 */
export const QualifiedGoal = Type.Object(
  {
    type: Type.Union([Type.Literal('event'), Type.Literal('trait')], { description: '`event`: a tracked event of this name; `trait`: an identify trait of this name.' }),
    name: Type.String({ minLength: 1, maxLength: 64 }),
    equals: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'For a trait: only this value qualifies (compared as text); unset, any value does.' })),
  },
  { additionalProperties: false },
);
export type QualifiedGoal = Static<typeof QualifiedGoal>;

/** The site's qualified goal, or null when it has none (the stage then counts nobody and says so). */
export const qualifiedGoal = (site: Pick<Site, 'config'>): QualifiedGoal | null => {
  const q = site.config.qualified as Partial<QualifiedGoal> | null | undefined;
  return q && (q.type === 'event' || q.type === 'trait') && typeof q.name === 'string' && q.name ? { type: q.type, name: q.name, ...(q.type === 'trait' && typeof q.equals === 'string' ? { equals: q.equals } : {}) } : null;
};

/**
 * An events row `e` that qualifies its customer, with the goal's name in
 * parameter `name` and its value in `value` (may be NULL: any value).
 * A verified customer's traits come from verified identifies only (as on the
 * profile); `l` is their `linked` row, NULL for an anonymous customer.
 */
export const qualifiesSql = (g: QualifiedGoal, name: string, value: string): string =>
  g.type === 'event'
    ? `(e.type = 'track' AND e.name = ${name})`
    : `(e.type = 'identify' AND (l.user_id IS NULL OR e.verified) AND coalesce(e.payload -> 'traits' ->> ${name}, '') <> '' AND (${value}::text IS NULL OR e.payload -> 'traits' ->> ${name} = ${value}::text))`;

/**
 * Customer of each anonymous id: the verified user it was last linked to
 * (identities), one per id. An anonymous id with no verified link is its own
 * customer. Unverified claims never join anyone.
 */
export const LINKED = `linked AS (
  SELECT DISTINCT ON (anonymous_id) anonymous_id, user_id, linked_at FROM identities WHERE site_key = $1 AND verified ORDER BY anonymous_id, linked_at DESC
)`;

/** A customer's key: `u:` + the verified user id, else `a:` + the anonymous id. `user` is a column of `linked`. */
export const customerKey = (anonymousId: string, userId = 'l.user_id'): string => `coalesce('u:' || ${userId}, 'a:' || ${anonymousId})`;

/**
 * A zone as an SQL literal, for queries whose parameters are already numbered
 * (attribution's): only an IANA name Intl knows, of the characters zone names
 * use, ever reaches the SQL text — anything else is UTC.
 */
export const zoneLiteral = (zone: string): string => `'${/^[A-Za-z0-9_+\-/]{1,64}$/.test(zone) ? siteZone({ config: { timeZone: zone } }) : 'UTC'}'`;

/** A local calendar day (`YYYY-MM-DD`) of a timestamptz column in the zone parameter `tz` (e.g. `$5`). */
export const localDaySql = (column: string, tz: string): string => `to_char(${column} AT TIME ZONE ${tz}, 'YYYY-MM-DD')`;

/** The Monday (`YYYY-MM-DD`) of a column's local ISO week in zone `tz`. */
export const localWeekSql = (column: string, tz: string): string => `to_char(date_trunc('week', ${column} AT TIME ZONE ${tz}), 'YYYY-MM-DD')`;

const NUM = `'^-?[0-9]+(\\.[0-9]+)?$'`;

/**
 * A goal event's revenue (`properties.revenue`, else `properties.total`), or
 * NULL when it is in another currency than `currency` (a parameter, may be
 * NULL): 40 EUR is never added to dollars. `e` is the events row.
 */
export const revenueSql = (currency: string): string =>
  `CASE WHEN upper(coalesce(e.payload #>> '{properties,currency}', ${currency}::text, '')) <> upper(coalesce(${currency}::text, e.payload #>> '{properties,currency}', '')) THEN NULL
        WHEN (e.payload #>> '{properties,revenue}') ~ ${NUM} THEN (e.payload #>> '{properties,revenue}')::numeric
        WHEN (e.payload #>> '{properties,total}') ~ ${NUM} THEN (e.payload #>> '{properties,total}')::numeric END`;

/**
 * A rate in % with one decimal: `part` of `whole`. `part` is always a subset
 * of `whole` (converted sessions of sessions), so it never passes 100.
 */
export const rate = (part: number, whole: number): number | null => (whole ? Math.round((Math.min(part, whole) / whole) * 1000) / 10 : null);

/** Money rounded to cents, as JSON carries it. */
const money = (v: string | number | null | undefined) => Math.round(Number(v ?? 0) * 100) / 100;

const Count = Type.Integer({ minimum: 0 });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** The headline figures of a period: part of the overview's response schema, and the type every report uses. */
export const Figures = Type.Object({
  /** Sessions that started in the period. */
  sessions: Count,
  /** Customers with a session that started in the period: a verified user once, however many devices. */
  visitors: Count,
  /** Verified users among the visitors. */
  identified: Count,
  /** Goal events in the period. */
  conversions: Count,
  /** Sessions of the period with at least one goal event in it. */
  convertedSessions: Count,
  /** convertedSessions ÷ sessions, in %; null without sessions. */
  conversionRate: Nullable(Type.Number({ minimum: 0, maximum: 100 })),
  /** Sum of the goal events' revenue in `currency`. */
  revenue: Type.Number(),
  currency: Nullable(Type.String()),
});
export type Figures = Static<typeof Figures>;

/**
 * A period's figures, by the definitions above. Attribution's totals, the
 * overview's "today" and the consistency test all come to these numbers.
 */
export async function periodFigures(db: Queryable, siteKey: string, range: Range, s: Pick<FigureSettings, 'goals' | 'currency'>): Promise<Figures> {
  const [visits, goals] = await Promise.all([
    db.query<{ sessions: string; visitors: string; identified: string; converted: string }>(
      `WITH ${LINKED}, g AS (
         SELECT DISTINCT session_id FROM events WHERE site_key = $1 AND name = ANY($4) AND timestamp >= $2 AND timestamp < $3 AND session_id IS NOT NULL
       )
       SELECT count(*) AS sessions, count(DISTINCT ${customerKey('s.anonymous_id')}) AS visitors, count(DISTINCT l.user_id) AS identified, count(g.session_id) AS converted
         FROM sessions s LEFT JOIN linked l ON l.anonymous_id = s.anonymous_id LEFT JOIN g ON g.session_id = s.session_id
        WHERE s.site_key = $1 AND s.started_at >= $2 AND s.started_at < $3`,
      [siteKey, range.from, range.to, s.goals],
    ),
    db.query<{ n: string; revenue: string | null }>(
      `SELECT count(*) AS n, sum(${revenueSql('$5')}) AS revenue FROM events e
        WHERE e.site_key = $1 AND e.name = ANY($4) AND e.timestamp >= $2 AND e.timestamp < $3`,
      [siteKey, range.from, range.to, s.goals, s.currency],
    ),
  ]);
  const v = visits.rows[0]!;
  const sessions = Number(v.sessions);
  const converted = Number(v.converted);
  return {
    sessions,
    visitors: Number(v.visitors),
    identified: Number(v.identified),
    conversions: Number(goals.rows[0]?.n ?? 0),
    convertedSessions: converted,
    conversionRate: rate(converted, sessions),
    revenue: money(goals.rows[0]?.revenue),
    currency: s.currency,
  };
}

/** Customers on the site now: distinct customers whose latest session was active within ONLINE_MS. */
export async function onlineNow(db: Queryable, siteKey: string, now: number): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `WITH ${LINKED} SELECT count(DISTINCT ${customerKey('s.anonymous_id')}) AS n
       FROM sessions s LEFT JOIN linked l ON l.anonymous_id = s.anonymous_id WHERE s.site_key = $1 AND s.last_seen_at >= $2`,
    [siteKey, new Date(now - ONLINE_MS).toISOString()],
  );
  return Number(rows[0]?.n ?? 0);
}

/** One customer's conversions and revenue (all time), by the same definitions. */
export async function customerConversions(db: Queryable, siteKey: string, anonymousIds: string[], s: Pick<FigureSettings, 'goals' | 'currency'>): Promise<{ conversions: number; revenue: number; currency: string | null }> {
  const { rows } = await db.query<{ n: string; revenue: string | null }>(
    `SELECT count(*) AS n, sum(${revenueSql('$4')}) AS revenue FROM events e WHERE e.site_key = $1 AND e.anonymous_id = ANY($2) AND e.name = ANY($3)`,
    [siteKey, anonymousIds, s.goals, s.currency],
  );
  return { conversions: Number(rows[0]?.n ?? 0), revenue: money(rows[0]?.revenue), currency: s.currency };
}
