import Type, { type Static } from 'typebox';
import { Nullable } from '../lib/nullable.js';
import type { Queryable } from '../store/store.js';

/** A site's inbox rules: how new work is assigned (round-robin within a team) and the first-response target. */
export const InboxSettings = Type.Object({
  assignment: Type.Union([Type.Literal('manual'), Type.Literal('round_robin')]),
  teamId: Nullable(Type.String({ minLength: 1, maxLength: 64 })),
  slaFirstResponseSeconds: Nullable(Type.Integer({ minimum: 1, maximum: 30 * 86_400 })),
});
export type InboxSettings = Static<typeof InboxSettings>;

const DEFAULTS: InboxSettings = { assignment: 'manual', teamId: null, slaFirstResponseSeconds: null };

export const inboxSettings = async (db: Queryable, siteKey: string): Promise<InboxSettings> =>
  (
    await db.query<InboxSettings>(
      `SELECT assignment, team_id AS "teamId", sla_first_response_s AS "slaFirstResponseSeconds" FROM inbox_settings WHERE site_key = $1`,
      [siteKey],
    )
  ).rows[0] ?? DEFAULTS;

export const saveInboxSettings = async (db: Queryable, siteKey: string, s: InboxSettings): Promise<void> => {
  await db.query(
    `INSERT INTO inbox_settings (site_key, assignment, team_id, sla_first_response_s) VALUES ($1, $2, $3, $4)
     ON CONFLICT (site_key) DO UPDATE SET assignment = EXCLUDED.assignment, team_id = EXCLUDED.team_id, sla_first_response_s = EXCLUDED.sla_first_response_s`,
    [siteKey, s.assignment, s.teamId, s.slaFirstResponseSeconds],
  );
};
