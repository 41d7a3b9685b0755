import { randomUUID } from 'node:crypto';
import Type, { type Static } from 'typebox';
import type { Queryable } from '../store/store.js';

export const Team = Type.Object({ id: Type.String(), siteKey: Type.String(), name: Type.String(), memberIds: Type.Array(Type.String()) });
export type Team = Static<typeof Team>;

/** A site's teams, each with its members' agent ids, by name. */
export const listTeams = async (db: Queryable, siteKey: string): Promise<Team[]> =>
  (
    await db.query<Team>(
      `SELECT t.id, t.site_key AS "siteKey", t.name,
              coalesce((SELECT array_agg(m.agent_id ORDER BY m.agent_id) FROM team_members m WHERE m.team_id = t.id), '{}') AS "memberIds"
         FROM teams t WHERE t.site_key = $1 ORDER BY t.name`,
      [siteKey],
    )
  ).rows;

export const getTeam = async (db: Queryable, siteKey: string, id: string): Promise<Team | undefined> => (await listTeams(db, siteKey)).find((t) => t.id === id);

/** Creates a team, or (same name) replaces its members; unknown agent ids are dropped. */
export const saveTeam = async (tx: Queryable, siteKey: string, name: string, memberIds: string[], at: string): Promise<Team> => {
  const id = (
    await tx.query<{ id: string }>(
      'INSERT INTO teams (id, site_key, name, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (site_key, name) DO UPDATE SET name = EXCLUDED.name RETURNING id',
      [randomUUID(), siteKey, name, at],
    )
  ).rows[0]!.id;
  await tx.query('DELETE FROM team_members WHERE team_id = $1 AND NOT (agent_id = ANY($2::text[]))', [id, memberIds]);
  await tx.query('INSERT INTO team_members (team_id, agent_id) SELECT $1, a.id FROM agents a WHERE a.id = ANY($2::text[]) ON CONFLICT DO NOTHING', [id, memberIds]);
  return (await getTeam(tx, siteKey, id))!;
};

export const deleteTeam = async (tx: Queryable, siteKey: string, id: string): Promise<boolean> => {
  const gone = (await tx.query('DELETE FROM teams WHERE site_key = $1 AND id = $2 RETURNING id', [siteKey, id])).rows.length > 0;
  if (gone) {
    await tx.query('UPDATE conversations SET team_id = NULL WHERE site_key = $1 AND team_id = $2', [siteKey, id]);
    // Round-robin among a team that is gone would assign no one and stamp a dangling team id: back to manual.
    await tx.query("UPDATE inbox_settings SET assignment = 'manual', team_id = NULL WHERE site_key = $1 AND team_id = $2", [siteKey, id]);
  }
  return gone;
};

/** The teams an agent belongs to, on one site or on every site (`siteKey` undefined): the "team" view shows their conversations. */
export const teamIdsOf = async (db: Queryable, siteKey: string | undefined, agentId: string): Promise<string[]> =>
  siteKey === undefined
    ? (await db.query<{ id: string }>('SELECT team_id AS id FROM team_members WHERE agent_id = $1', [agentId])).rows.map((r) => r.id)
    : (await db.query<{ id: string }>('SELECT t.id FROM teams t JOIN team_members m ON m.team_id = t.id WHERE t.site_key = $1 AND m.agent_id = $2', [siteKey, agentId])).rows.map((r) => r.id);

/**
 * Round-robin: of the team's members online now, the one whose last
 * assignment is oldest (never assigned first, then by id); it gets the team's
 * next turn number. The team row is locked so two instances assigning at once
 * take turns.
 */
export const nextInTurn = async (tx: Queryable, teamId: string, online: string[]): Promise<string | undefined> => {
  if (!online.length) return undefined;
  await tx.query('SELECT id FROM teams WHERE id = $1 FOR UPDATE', [teamId]);
  const pick = (
    await tx.query<{ agent_id: string }>(
      'SELECT agent_id FROM team_members WHERE team_id = $1 AND agent_id = ANY($2::text[]) ORDER BY turn, agent_id LIMIT 1',
      [teamId, online],
    )
  ).rows[0]?.agent_id;
  if (pick) await tx.query('UPDATE team_members SET turn = (SELECT max(turn) + 1 FROM team_members WHERE team_id = $1) WHERE team_id = $1 AND agent_id = $2', [teamId, pick]);
  return pick;
};
