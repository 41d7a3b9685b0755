import type { Queryable } from '../store/store.js';

/**
 * One customer across channels: a channel identity (`email:ada@example.com`,
 * `whatsapp:4915…`) joins a user's profile only through something verified —
 * the address or number is a trait of exactly one user whose identify call
 * carried a valid userHash. Never on an unverified trait (Chatwoot merged
 * strangers that way, #2811). The link goes in `identities` (the profile reads
 * it) and in the `identity_links` audit. Returns the user id linked, if any.
 */
export async function linkVerifiedIdentity(db: Queryable, siteKey: string, anonymousId: string, trait: 'email' | 'phone', value: string, at: string): Promise<string | undefined> {
  const have = (await db.query<{ user_id: string }>('SELECT user_id FROM identities WHERE site_key = $1 AND anonymous_id = $2 AND verified LIMIT 1', [siteKey, anonymousId])).rows[0];
  if (have) return have.user_id;
  const match =
    trait === 'email'
      ? `lower(payload #>> '{traits,email}') = lower($2)`
      : `regexp_replace(coalesce(payload #>> '{traits,phone}', ''), '[^0-9]', '', 'g') = regexp_replace($2, '[^0-9]', '', 'g') AND length($2) >= 6`;
  const users = (await db.query<{ user_id: string }>(`SELECT DISTINCT user_id FROM events WHERE site_key = $1 AND type = 'identify' AND verified AND user_id IS NOT NULL AND ${match} LIMIT 2`, [siteKey, value])).rows;
  // Two users with the same address: whose it is is not known, so nobody's.
  if (users.length !== 1) return undefined;
  const userId = users[0]!.user_id;
  await linkIdentity(db, siteKey, anonymousId, userId, `verified ${trait} trait`, null, at);
  return userId;
}

/** Writes a link and its audit row (`how`: why; `agentId`: who, for a link made by hand in the console). */
export async function linkIdentity(db: Queryable, siteKey: string, anonymousId: string, userId: string, how: string, agentId: string | null, at: string): Promise<void> {
  await db.query('INSERT INTO identities (site_key, anonymous_id, user_id, verified, linked_at) VALUES ($1, $2, $3, true, $4) ON CONFLICT (site_key, anonymous_id, user_id) DO UPDATE SET verified = true', [siteKey, anonymousId, userId, at]);
  await db.query('INSERT INTO identity_links (site_key, anonymous_id, user_id, how, agent_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [siteKey, anonymousId, userId, how, agentId, at]);
}
