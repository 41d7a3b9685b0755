import Type, { type Static } from 'typebox';
import type { Queryable } from '../store/store.js';
import { isoUtc } from '../store/iso-utc.js';
import { Nullable } from '../lib/nullable.js';
import { toCsv } from '../lib/csv.js';
import { LINKED, ONLINE_MS, customerKey, onlineNow } from '../reports/definitions.js';

/** One customer of the list: the route's response schema and the console's type in one place. */
export const CustomerRow = Type.Object({
  /** The id a profile opens with: the verified user id, else the anonymous id. */
  id: Type.String(),
  userId: Nullable(Type.String()),
  /** The customer's most recently seen anonymous id. */
  anonymousId: Type.String(),
  email: Nullable(Type.String()),
  name: Nullable(Type.String()),
  lastSeen: Type.String({ format: 'date-time' }),
  /** Every session of the customer, on every device (the profile lists the same ones). */
  sessions: Type.Integer({ minimum: 0 }),
  /** The channel of the customer's latest session. */
  channel: Nullable(Type.String()),
  online: Type.Boolean(),
});
export type CustomerRow = Static<typeof CustomerRow>;

/** The customers list (`GET …/customers`): the rows and how many customers are on the site now. */
export const CustomerList = Type.Object({ customers: Type.Array(CustomerRow), onlineNow: Type.Integer({ minimum: 0 }) });
export type CustomerList = Static<typeof CustomerList>;

/** The page shows this many; the CSV export up to `EXPORT_LIMIT`, the same query in the same order. */
export const PAGE_LIMIT = 50;
export const EXPORT_LIMIT = 10_000;

/** The CSV columns: the page's, with both ids (a spreadsheet joins on them). */
const CSV_COLUMNS = ['id', 'userId', 'anonymousId', 'name', 'email', 'lastSeen', 'sessions', 'channel', 'online'] as const satisfies readonly (keyof CustomerRow)[];

/** The list as CSV (lib/csv.ts: quoted, formula-safe — names and e-mails are what visitors typed). */
export const customersCsv = (rows: CustomerRow[]): string => toCsv([...CSV_COLUMNS], rows);

interface Row {
  anonymous_id: string;
  user_id: string | null;
  last_seen: string;
  sessions: string;
  channel: string | null;
  /** Traits of each identify, oldest first: merged as the SDK merges them. */
  traits: Record<string, unknown>[] | null;
}

const toRow = (r: Row, now: number): CustomerRow => {
  const traits = Object.assign({}, ...(r.traits ?? [])) as Record<string, unknown>;
  return {
    id: r.user_id ?? r.anonymous_id,
    userId: r.user_id,
    anonymousId: r.anonymous_id,
    email: typeof traits.email === 'string' ? traits.email : null,
    name: typeof traits.name === 'string' ? traits.name : null,
    lastSeen: r.last_seen,
    sessions: Number(r.sessions),
    channel: r.channel,
    online: now - Date.parse(r.last_seen) < ONLINE_MS,
  };
};

/**
 * One row per customer (definitions.ts: a verified user with all their
 * devices, else one anonymous id), over all of their sessions — the list and
 * a search show the same row, and the profile the same sessions.
 */
const FOLD = (where: string) => `WITH ${LINKED}, c AS (
    SELECT ${customerKey('s.anonymous_id')} AS k, l.user_id, s.anonymous_id, s.started_at, s.last_seen_at, s.channel
      FROM sessions s LEFT JOIN linked l ON l.anonymous_id = s.anonymous_id WHERE s.site_key = $1
  )
  SELECT c.k, c.user_id, (array_agg(c.anonymous_id ORDER BY c.last_seen_at DESC))[1] AS anonymous_id,
         ${isoUtc('max(c.last_seen_at)')} AS last_seen, count(*) AS sessions,
         (array_agg(c.channel ORDER BY c.started_at DESC))[1] AS channel,
         (SELECT jsonb_agg(e.payload -> 'traits' ORDER BY e.timestamp) FROM events e
           WHERE e.site_key = $1 AND e.type = 'identify' AND e.anonymous_id = ANY(array_agg(c.anonymous_id)) AND e.payload ? 'traits'
             AND (c.user_id IS NULL OR e.verified)) AS traits
    FROM c GROUP BY c.k, c.user_id ${where} ORDER BY max(c.last_seen_at) DESC`;

/**
 * Recent customers (seen in the last 90 days, newest first), or those
 * matching `q`: a user id or anonymous id (exact or prefix), or any trait
 * value (email, name, plan…) of any of their devices.
 */
export async function findCustomers(db: Queryable, siteKey: string, now: number, q?: string, limit = PAGE_LIMIT): Promise<CustomerList> {
  const cap = Math.min(Math.max(1, Math.trunc(limit)), EXPORT_LIMIT);
  const term = q?.trim();
  let sql: string;
  let params: unknown[];
  if (term) {
    const like = term.replace(/[\\%_]/g, (c) => `\\${c}`);
    params = [siteKey, term, `${like}%`, `%${like.toLowerCase()}%`];
    // Anonymous ids whose id, linked user id, or any trait of an identify matches…
    const matched = `SELECT $2::text AS id
      UNION SELECT anonymous_id FROM identities WHERE site_key = $1 AND verified AND (user_id = $2 OR user_id LIKE $3)
      UNION SELECT anonymous_id FROM sessions WHERE site_key = $1 AND anonymous_id LIKE $3
      UNION SELECT anonymous_id FROM events WHERE site_key = $1 AND type = 'identify' AND lower((payload -> 'traits')::text) LIKE $4`;
    // …as whole customers: a match on one device brings the customer with every device.
    sql = FOLD(`HAVING c.k IN (SELECT ${customerKey('m.id', 'lm.user_id')} FROM (${matched}) m LEFT JOIN linked lm ON lm.anonymous_id = m.id)`);
  } else {
    params = [siteKey, new Date(now - 90 * 86_400_000).toISOString()];
    sql = FOLD('HAVING max(c.last_seen_at) >= $2');
  }
  const [found, online] = await Promise.all([db.query<Row & { k: string }>(`${sql} LIMIT ${cap}`, params), onlineNow(db, siteKey, now)]);
  return { customers: found.rows.map((r) => toRow(r, now)), onlineNow: online };
}
