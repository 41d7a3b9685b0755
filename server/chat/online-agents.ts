import type { Queryable } from '../store/store.js';

/**
 * The seam for presence (#22, H4 replaces the body): the agents who count as
 * online for a site now — round-robin assigns only to them. Until presence
 * lands: an agent with a console stream open (it refreshes last_seen_at every
 * 20 s) seen in the last minute. Agents see every site of this server, so the
 * site does not narrow it yet. Real time, a mechanism: the database's own now().
 */
export const onlineAgents = async (db: Queryable, _siteKey: string): Promise<string[]> =>
  (await db.query<{ id: string }>("SELECT id FROM agents WHERE last_seen_at > now() - interval '60 seconds' ORDER BY id")).rows.map((r) => r.id);
