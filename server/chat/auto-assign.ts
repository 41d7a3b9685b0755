import type { Queryable } from '../store/store.js';
import { inboxSettings } from '../repositories/inbox-settings.js';
import { nextInTurn } from '../repositories/teams.js';
import { assign } from '../repositories/conversation-workflow.js';
import { onlineAgents } from './online-agents.js';

/**
 * New work for people (a hand-over, a channel's first message, a reopened
 * conversation) on a site whose inbox assigns round-robin: the team's online
 * member next in turn takes it, unless someone has it already. Nobody online:
 * it goes to the team, unassigned, for whoever comes (Chatwoot leaves it too).
 */
export const autoAssign = async (tx: Queryable, c: { id: string; site_key: string }): Promise<void> => {
  const s = await inboxSettings(tx, c.site_key);
  if (s.assignment !== 'round_robin' || !s.teamId) return;
  const current = (await tx.query<{ assignee_id: string | null }>('SELECT assignee_id FROM conversations WHERE id = $1', [c.id])).rows[0];
  if (!current || current.assignee_id) return;
  const pick = await nextInTurn(tx, s.teamId, await onlineAgents(tx, c.site_key));
  await assign(tx, c.id, { assigneeId: pick ?? null, teamId: s.teamId });
};
