import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Queryable } from './store/store.js';
import { hmacHex, hexEquals } from './lib/hmac.js';
import { serverSecret } from './sites.js';

/** owner and admin manage the site (keys, secret, origins) and the agents; agent answers chats. */
export const ROLES = ['owner', 'admin', 'agent'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (v: unknown): v is Role => ROLES.includes(v as Role);
/** May see the site secret, rotate it and change origins and agents. */
export const canManage = (role: Role): boolean => role === 'owner' || role === 'admin';

export interface Agent {
  id: string;
  email: string;
  name: string;
  role: Role;
}

const hash = (password: string, salt = randomBytes(16).toString('hex')) => `scrypt:${salt}:${scryptSync(password, salt, 32).toString('hex')}`;
const verify = (password: string, stored: string) => {
  const [, salt, h] = stored.split(':');
  if (!salt || !h) return false;
  const a = scryptSync(password, salt, 32);
  const b = Buffer.from(h, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
};

/** Creates or updates an agent's credentials and role. */
export const upsertAgent = async (db: Queryable, email: string, password: string, name: string, role: Role = 'agent'): Promise<void> => {
  if (!isRole(role)) throw new Error(`"${String(role)}" is not a role: use ${ROLES.join(', ')}.`);
  await db.query(
    `INSERT INTO agents (id, email, name, password_hash, role) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name, password_hash = EXCLUDED.password_hash, role = EXCLUDED.role`,
    [randomUUID(), email.toLowerCase(), name, hash(password), role],
  );
};

/** Every agent, owners first. */
export const listAgents = async (db: Queryable): Promise<Agent[]> =>
  (await db.query<Agent>("SELECT id, email, name, role FROM agents ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, email")).rows;

/** Removes an agent; refuses to remove the last owner (nobody could manage the server then). */
export const removeAgent = async (db: Queryable, email: string): Promise<boolean> => {
  const { rows } = await db.query<{ id: string }>(
    `DELETE FROM agents WHERE email = $1
       AND (role <> 'owner' OR (SELECT count(*) FROM agents WHERE role = 'owner') > 1)
     RETURNING id`,
    [email.toLowerCase()],
  );
  if (rows[0]) {
    // Their teams, presence and console connections go too: round-robin never picks them, and their open streams end at the next heartbeat.
    for (const table of ['team_members', 'agent_presence', 'agent_connections']) await db.query(`DELETE FROM ${table} WHERE agent_id = $1`, [rows[0].id]);
    return true;
  }
  const exists = await db.query('SELECT 1 FROM agents WHERE email = $1', [email.toLowerCase()]);
  if (exists.rows[0]) throw new Error(`${email} is the last owner: add another owner first.`);
  return false;
};

/**
 * Changes an agent's role; refuses to demote the last owner. Returns false
 * when no agent has that id.
 */
export const setRole = async (db: Queryable, id: string, role: Role): Promise<boolean> => {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE agents SET role = $2 WHERE id = $1
       AND ($2 = 'owner' OR role <> 'owner' OR (SELECT count(*) FROM agents WHERE role = 'owner') > 1)
     RETURNING id`,
    [id, role],
  );
  if (rows[0]) return true;
  if ((await db.query('SELECT 1 FROM agents WHERE id = $1', [id])).rows[0]) throw new Error('This is the last owner: make another agent an owner first.');
  return false;
};

/**
 * An invitation: a new agent with a one-time password the inviter passes on
 * (no mail is sent; the reference server has no outgoing mail of its own).
 * Refuses an e-mail that is already an agent's.
 */
export const inviteAgent = async (db: Queryable, email: string, name: string, role: Role): Promise<{ agent: Agent; password: string }> => {
  const password = randomBytes(12).toString('base64url');
  const id = randomUUID();
  const { rows } = await db.query<Agent>(
    'INSERT INTO agents (id, email, name, password_hash, role) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email) DO NOTHING RETURNING id, email, name, role',
    [id, email.toLowerCase(), name, hash(password), role],
  );
  if (!rows[0]) throw new Error(`${email} is an agent already.`);
  return { agent: rows[0], password };
};

/** How many owners there are: production refuses to start without one. */
export const countOwners = async (db: Queryable): Promise<number> =>
  Number((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM agents WHERE role = 'owner'")).rows[0]!.n);

/**
 * Agents from `TOUCHPOINT_AGENTS` ("email:password:Name[:role];…", role owner
 * by default), or else — not in production — one development agent (an owner)
 * whose random password is kept in the store and printed by `npm start`.
 * Returns the development credentials when it made them.
 */
export const ensureAgents = async (
  db: Queryable,
  env = process.env.TOUCHPOINT_AGENTS,
  o: { production?: boolean } = {},
): Promise<{ email: string; password: string } | undefined> => {
  if (env) {
    for (const entry of env.split(';').filter(Boolean)) {
      const [email, password, name, role] = entry.split(':');
      if (email && password) await upsertAgent(db, email, password, name || email, (role || 'owner') as Role);
    }
    return undefined;
  }
  if (o.production) return undefined;
  const email = 'agent@touchpoint.local';
  const password = (await serverSecret(db, 'dev_agent_password')).slice(0, 16);
  const existing = await db.query<{ password_hash: string }>('SELECT password_hash FROM agents WHERE email = $1', [email]);
  if (!existing.rows[0] || !verify(password, existing.rows[0].password_hash)) await upsertAgent(db, email, password, 'Dev Agent', 'owner');
  return { email, password };
};

export const login = async (db: Queryable, email: string, password: string): Promise<Agent | undefined> => {
  const { rows } = await db.query<Agent & { password_hash: string }>('SELECT id, email, name, role, password_hash FROM agents WHERE email = $1', [email.toLowerCase()]);
  const r = rows[0];
  // Hash even when the agent is unknown, so timing does not reveal which emails exist.
  const ok = verify(password, r?.password_hash ?? hash('x'));
  return r && ok ? { id: r.id, email: r.email, name: r.name, role: r.role } : undefined;
};

/** Agent sessions are signed cookies: stateless, so any instance accepts them. 12 hours. */
export const AGENT_COOKIE = 'tp_agent';
export const signSession = (secret: string, agentId: string, ttlS = 12 * 3600): string => {
  const body = `${agentId}.${Math.floor(Date.now() / 1000) + ttlS}`;
  return `${body}.${hmacHex(secret, `agent.${body}`)}`;
};
export const verifySession = (secret: string, cookie: string | undefined): string | undefined => {
  if (!cookie) return undefined;
  const i = cookie.lastIndexOf('.');
  const body = cookie.slice(0, i);
  if (i < 0 || !hexEquals(hmacHex(secret, `agent.${body}`), cookie.slice(i + 1))) return undefined;
  const [id, exp] = body.split('.');
  return id && Number(exp) * 1000 > Date.now() ? id : undefined;
};

export const agentById = async (db: Queryable, id: string): Promise<Agent | undefined> =>
  (await db.query<Agent>('SELECT id, email, name, role FROM agents WHERE id = $1', [id])).rows[0];

/** Presence: an agent with a console stream open refreshes last_seen_at; "online" means seen in the last minute. */
export const agentsOnline = async (db: Queryable): Promise<boolean> =>
  Number((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM agents WHERE last_seen_at > now() - interval '60 seconds'")).rows[0]!.n) > 0;

export const touchAgent = (db: Queryable, id: string) => db.query('UPDATE agents SET last_seen_at = now() WHERE id = $1', [id]);

