import Type, { type Static } from 'typebox';
import type { Queryable } from '../store/store.js';

export const PRESENCE_STATES = ['online', 'away', 'offline'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

/** One agent's presence as the console lists it (`GET /v1/agent/presence`, the agent stream's `presence` event). */
export const AgentPresence = Type.Object({
  id: Type.String(),
  name: Type.String(),
  state: Type.Enum(PRESENCE_STATES),
});
export type AgentPresence = Static<typeof AgentPresence>;

/** A console stream opened: the agent is reachable through it from `at`. */
export const insertConnection = (db: Queryable, id: string, agentId: string, at: string) =>
  db.query('INSERT INTO agent_connections (id, agent_id, seen_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET seen_at = EXCLUDED.seen_at', [id, agentId, at]);

/** The heartbeat of an open stream: it stays within the lease. */
/** Keeps a connection fresh; false when it is gone — its agent was removed (agents.ts removeAgent deletes their connections). */
export const touchConnection = async (db: Queryable, id: string, at: string): Promise<boolean> =>
  (await db.query('UPDATE agent_connections SET seen_at = $2 WHERE id = $1 AND EXISTS (SELECT 1 FROM agents a WHERE a.id = agent_connections.agent_id) RETURNING id', [id, at])).rows.length > 0;

export const deleteConnection = (db: Queryable, id: string) => db.query('DELETE FROM agent_connections WHERE id = $1', [id]);

/** Rows no instance has refreshed for long (it crashed): gone from the table, as they already are from presence. */
export const deleteStaleConnections = (db: Queryable, before: string) => db.query('DELETE FROM agent_connections WHERE seen_at < $1', [before]);

/**
 * A tab's visibility, on its own connection only (another agent's is "not
 * found"). Hidden keeps the first moment it was hidden: the away delay runs from it.
 */
export const setConnectionVisible = async (db: Queryable, id: string, agentId: string, visible: boolean, at: string): Promise<boolean> =>
  ((
    await db.query(
      `UPDATE agent_connections SET hidden_since = CASE WHEN $3::boolean THEN NULL ELSE coalesce(hidden_since, $4::timestamptz) END, seen_at = $4
        WHERE id = $1 AND agent_id = $2 RETURNING id`,
      [id, agentId, visible, at],
    )
  ).rows.length > 0);

/** The derived states, written where a transaction can read them (round-robin): only rows that changed. */
export const storeStates = async (db: Queryable, states: AgentPresence[], at: string): Promise<void> => {
  if (!states.length) return;
  await db.query(
    `INSERT INTO agent_presence (agent_id, state, updated_at)
     SELECT id, state, $3::timestamptz FROM unnest($1::text[], $2::text[]) AS s(id, state)
     ON CONFLICT (agent_id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at WHERE agent_presence.state <> EXCLUDED.state`,
    [states.map((s) => s.id), states.map((s) => s.state), at],
  );
};

/** The agents online as last derived (at most a tick old): usable inside any transaction, on any instance. */
export const storedOnlineAgents = async (db: Queryable): Promise<string[]> =>
  // Joined to agents: a removed agent's last state must never get them a conversation.
  (await db.query<{ agent_id: string }>("SELECT p.agent_id FROM agent_presence p JOIN agents a ON a.id = p.agent_id WHERE p.state = 'online' ORDER BY p.agent_id")).rows.map((r) => r.agent_id);

export const setChoice = (db: Queryable, agentId: string, choice: 'online' | 'away', at: string) =>
  db.query(
    `INSERT INTO agent_presence (agent_id, choice, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (agent_id) DO UPDATE SET choice = EXCLUDED.choice, updated_at = EXCLUDED.updated_at`,
    [agentId, choice, at],
  );

/**
 * Every agent's presence at one instant: offline without a connection seen
 * after `liveAfter`; away when they chose it or each live tab has been hidden
 * since `awayBefore` or earlier; online otherwise. A connection that never
 * reported its visibility (an API client) counts as shown.
 */
export const presenceAt = async (db: Queryable, liveAfter: string, awayBefore: string): Promise<AgentPresence[]> =>
  (
    await db.query<AgentPresence>(
      `SELECT a.id, a.name,
              CASE WHEN NOT EXISTS (SELECT 1 FROM agent_connections c WHERE c.agent_id = a.id AND c.seen_at > $1::timestamptz) THEN 'offline'
                   WHEN coalesce(p.choice, 'online') = 'away'
                     OR NOT EXISTS (SELECT 1 FROM agent_connections c WHERE c.agent_id = a.id AND c.seen_at > $1::timestamptz
                                      AND (c.hidden_since IS NULL OR c.hidden_since > $2::timestamptz)) THEN 'away'
                   ELSE 'online' END AS state
         FROM agents a LEFT JOIN agent_presence p ON p.agent_id = a.id
        ORDER BY a.name, a.id`,
      [liveAfter, awayBefore],
    )
  ).rows;
