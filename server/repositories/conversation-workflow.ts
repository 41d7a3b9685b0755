import type { Queryable } from '../store/store.js';

/** What an agent may put a conversation on: waiting for the customer, or snoozed until a time. */
export type Hold = 'customer' | 'snoozed';

/** Ends a hold (the customer wrote): true when there was one. */
export const clearHold = async (tx: Queryable, id: string): Promise<boolean> =>
  (await tx.query('UPDATE conversations SET hold = NULL, snoozed_until = NULL WHERE id = $1 AND hold IS NOT NULL RETURNING id', [id])).rows.length > 0;

/** Puts an open conversation on hold, or takes it off (`hold` null). A resolved one or the bot's is not the agents' work: false. */
export const setHold = async (tx: Queryable, id: string, hold: Hold | null, until: string | null): Promise<boolean> =>
  (
    await tx.query("UPDATE conversations SET hold = $2, snoozed_until = $3 WHERE id = $1 AND status IN ('pending', 'open') RETURNING id", [
      id,
      hold,
      hold === 'snoozed' ? until : null,
    ])
  ).rows.length > 0;

export const assign = async (tx: Queryable, id: string, to: { assigneeId: string | null; teamId: string | null }): Promise<void> => {
  await tx.query('UPDATE conversations SET assignee_id = $2, team_id = $3 WHERE id = $1', [id, to.assigneeId, to.teamId]);
};

export const setLabels = async (tx: Queryable, id: string, labels: string[]): Promise<void> => {
  await tx.query('UPDATE conversations SET labels = $2::text[] WHERE id = $1', [id, labels]);
};

/** The first-response clock starts at the first hand-over to people (a channel's first message); later hand-overs keep it. */
export const startWaiting = async (tx: Queryable, id: string, at: string): Promise<void> => {
  await tx.query('UPDATE conversations SET waiting_since = coalesce(waiting_since, $2::timestamptz) WHERE id = $1', [id, at]);
};

/**
 * An agent's message: the first after the clock started is the first
 * response; an unassigned conversation becomes the replying agent's (Chatwoot
 * does the same: whoever answers owns it).
 */
export const recordAgentReply = async (tx: Queryable, id: string, agentId: string, at: string): Promise<void> => {
  await tx.query(
    `UPDATE conversations SET
       first_response_at = CASE WHEN first_response_at IS NULL AND waiting_since IS NOT NULL THEN $3::timestamptz ELSE first_response_at END,
       first_responder_id = CASE WHEN first_response_at IS NULL AND waiting_since IS NOT NULL THEN $2 ELSE first_responder_id END,
       assignee_id = coalesce(assignee_id, $2)
     WHERE id = $1`,
    [id, agentId, at],
  );
};

/** Snoozes whose time has come end (the conversation is open again): the ones woken, for the agents' consoles to hear. */
export const wakeSnoozed = async (db: Queryable, now: string): Promise<{ id: string; site_key: string; anonymous_id: string; user_id: string | null }[]> =>
  (
    await db.query<{ id: string; site_key: string; anonymous_id: string; user_id: string | null }>(
      "UPDATE conversations SET hold = NULL, snoozed_until = NULL WHERE hold = 'snoozed' AND snoozed_until <= $1 RETURNING id, site_key, anonymous_id, user_id",
      [now],
    )
  ).rows;
