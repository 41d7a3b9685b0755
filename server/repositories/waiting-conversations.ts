import type { Queryable } from '../store/store.js';

/** A conversation whose customer has waited since `since` for an agent's answer: its spell starts at `spellSeq`. */
export interface WaitingConversation {
  id: string;
  anonymousId: string;
  visitorEmail: string | null;
  spellSeq: number;
  since: string;
  /** The customer's latest words in this spell, for the mail. */
  lastMessage: string | null;
  /** Whose the conversation is (an agent, a team, both or neither): who gets the mail. */
  assigneeId: string | null;
  teamId: string | null;
}

/**
 * Conversations of `siteKey` waiting for people since `before` or earlier,
 * not yet mailed for this spell. A spell is the customer's side after the
 * last agent message: the hand-off from the bot, or a customer message
 * (after the hand-off, if there was one: before it the bot was answering).
 * It begins at its first such event; an agent message ends it. Conversations
 * with the bot or closed wait for no one.
 */
export const waitingConversations = async (db: Queryable, siteKey: string, before: string, limit = 100): Promise<WaitingConversation[]> =>
  (
    await db.query<WaitingConversation>(
      `WITH c AS (
         SELECT c.id, c.anonymous_id, c.visitor_email, c.assignee_id, c.team_id,
                coalesce((SELECT max(e.seq) FROM chat_events e WHERE e.conversation_id = c.id AND e.kind = 'message' AND e.author_kind = 'agent'), 0) AS answered,
                (SELECT min(e.seq) FROM chat_events e WHERE e.conversation_id = c.id AND e.kind = 'handoff') AS handoff
           FROM conversations c
          WHERE c.site_key = $1 AND c.status IN ('pending', 'open'))
       SELECT c.id, c.anonymous_id AS "anonymousId", c.visitor_email AS "visitorEmail", w.seq AS "spellSeq", w.created_at AS since, c.assignee_id AS "assigneeId", c.team_id AS "teamId",
              (SELECT e.body FROM chat_events e WHERE e.conversation_id = c.id AND e.seq > c.answered AND e.kind = 'message' AND e.author_kind = 'visitor' ORDER BY e.seq DESC LIMIT 1) AS "lastMessage"
         FROM c
         JOIN LATERAL (
           SELECT e.seq, e.created_at FROM chat_events e
            WHERE e.conversation_id = c.id AND e.seq > c.answered
              AND (e.kind = 'handoff' OR (e.kind = 'message' AND e.author_kind = 'visitor' AND (c.handoff IS NULL OR e.seq > c.handoff)))
            ORDER BY e.seq LIMIT 1) w ON true
        WHERE w.created_at <= $2::timestamptz
          AND NOT EXISTS (SELECT 1 FROM waiting_mail m WHERE m.conversation_id = c.id AND m.spell_seq = w.seq)
        ORDER BY w.created_at
        LIMIT $3`,
      [siteKey, before, limit],
    )
  ).rows.map((r) => ({ ...r, spellSeq: Number(r.spellSeq), since: new Date(r.since).toISOString() }));

/** Takes the spell for this instance: true for exactly one caller, whichever instance it runs on. */
export const claimWaitingMail = async (db: Queryable, conversationId: string, spellSeq: number, at: string): Promise<boolean> =>
  (await db.query('INSERT INTO waiting_mail (conversation_id, spell_seq, claimed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING spell_seq', [conversationId, spellSeq, at])).rows.length > 0;

export const markWaitingMailSent = (db: Queryable, conversationId: string, spellSeq: number, at: string, recipients: number) =>
  db.query('UPDATE waiting_mail SET sent_at = $3, recipients = $4 WHERE conversation_id = $1 AND spell_seq = $2', [conversationId, spellSeq, at, recipients]);

/** The send failed: the claim goes, so a later tick (on any instance) tries again. */
export const releaseWaitingMail = (db: Queryable, conversationId: string, spellSeq: number) =>
  db.query('DELETE FROM waiting_mail WHERE conversation_id = $1 AND spell_seq = $2 AND sent_at IS NULL', [conversationId, spellSeq]);

/**
 * Where the mail goes: the conversation's own agent when it has one; else the
 * members of its team; else — or when that agent or team is gone — every
 * agent. An assigned customer is that agent's to answer: the rest of the
 * team hears nothing (Chatwoot's `conversation_assignment` rule).
 */
export const waitingMailRecipients = async (db: Queryable, w: Pick<WaitingConversation, 'assigneeId' | 'teamId'>): Promise<string[]> => {
  const emails = async (sql: string, params: unknown[] = []) => (await db.query<{ email: string }>(sql, params)).rows.map((r) => r.email);
  const own = w.assigneeId ? await emails('SELECT email FROM agents WHERE id = $1', [w.assigneeId]) : [];
  if (own.length) return own;
  const team = w.teamId ? await emails('SELECT a.email FROM team_members m JOIN agents a ON a.id = m.agent_id WHERE m.team_id = $1 ORDER BY a.email', [w.teamId]) : [];
  return team.length ? team : emails('SELECT email FROM agents ORDER BY email');
};
