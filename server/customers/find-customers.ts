import type { Queryable } from '../store/store.js';
import { isoUtc } from '../store/iso-utc.js';
import { ONLINE_MS } from './customer-profile.js';
import { visitorsSince } from './visitors-since.js';

export interface CustomerRow {
  /** The id a profile opens with: the verified user id, else the anonymous id. */
  id: string;
  userId: string | null;
  anonymousId: string;
  email: string | null;
  name: string | null;
  lastSeen: string;
  sessions: number;
  channel: string | null;
  online: boolean;
}

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

/** One row per visitor, folded into one per verified user: the latest visit, the latest traits. */
const FOLD = `
  SELECT coalesce(i.user_id, s.anonymous_id) AS k, max(s.anonymous_id) AS anonymous_id, i.user_id,
         ${isoUtc('max(s.last_seen_at)')} AS last_seen, count(*) AS sessions,
         (array_agg(s.channel ORDER BY s.started_at DESC))[1] AS channel,
         (SELECT jsonb_agg(e.payload -> 'traits' ORDER BY e.timestamp) FROM events e
           WHERE e.site_key = $1 AND e.type = 'identify' AND e.anonymous_id = ANY(array_agg(s.anonymous_id)) AND e.payload ? 'traits'
             AND (i.user_id IS NULL OR e.verified)) AS traits
    FROM sessions s
    LEFT JOIN identities i ON i.site_key = s.site_key AND i.anonymous_id = s.anonymous_id AND i.verified`;

/**
 * Recent visitors (newest first), or those matching `q`: a user id or
 * anonymous id (exact or prefix), or any trait value (email, name, plan…).
 */
export async function findCustomers(db: Queryable, siteKey: string, now: number, q?: string, limit = 50): Promise<{ customers: CustomerRow[]; onlineNow: number }> {
  const online = await visitorsSince(db, siteKey, new Date(now - ONLINE_MS).toISOString());
  // Recent: seen in the last 90 days of `now`.
  let where = `s.site_key = $1 AND s.last_seen_at >= $2`;
  let params: unknown[] = [siteKey, new Date(now - 90 * 86_400_000).toISOString()];
  const term = q?.trim();
  if (term) {
    const like = term.replace(/[\\%_]/g, (c) => `\\${c}`);
    params = [siteKey, term, `${like}%`, `%${like.toLowerCase()}%`];
    // Visitors whose id, linked user id, or any trait of an identify matches…
    const matched = `SELECT $2::text
      UNION SELECT anonymous_id FROM identities WHERE site_key = $1 AND verified AND (user_id = $2 OR user_id LIKE $3)
      UNION SELECT anonymous_id FROM sessions WHERE site_key = $1 AND anonymous_id LIKE $3
      UNION SELECT anonymous_id FROM events WHERE site_key = $1 AND type = 'identify' AND lower((payload -> 'traits')::text) LIKE $4`;
    // …as whole customers: a match on one device brings every device of that verified user, so a
    // customer's row (sessions, latest channel) is the same found by search as in the list.
    where = `s.site_key = $1 AND (s.anonymous_id IN (${matched})
      OR i.user_id IN (SELECT user_id FROM identities WHERE site_key = $1 AND verified AND anonymous_id IN (${matched})))`;
  }
  const { rows } = await db.query<Row & { k: string }>(`${FOLD} WHERE ${where} GROUP BY k, i.user_id ORDER BY max(s.last_seen_at) DESC LIMIT ${Math.min(Math.max(1, limit), 200)}`, params);
  return { customers: rows.map((r) => toRow(r, now)), onlineNow: online.visitors };
}
