import type { Queryable } from '../store/store.js';
import { storedOnlineAgents } from '../repositories/agent-presence.js';

/**
 * The seam for presence (#22): the agents who count as online for a site
 * now — round-robin assigns only to them. Presence (presence.ts) derives each
 * agent's state on the server clock at every change and every tick and
 * writes it down, so this reads it inside the caller's transaction (PGlite has
 * one connection: a query beside an open transaction would wait for it). Away
 * and offline agents are never picked. Agents see every site of this server,
 * so the site does not narrow it yet.
 */
export const onlineAgents = (db: Queryable, _siteKey: string): Promise<string[]> => storedOnlineAgents(db);
