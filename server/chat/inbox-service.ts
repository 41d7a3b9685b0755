import type { Store } from '../store/store.js';
import type { ChatHub } from './chat-hub.js';
import type { ChatService, Author } from './chat-service.js';
import type { ConversationRow } from './chat-store.js';
import { isoNow, type Clock } from '../lib/clock.js';
import { ApiError } from '../lib/api-error.js';
import { assign, setHold, setLabels, wakeSnoozed } from '../repositories/conversation-workflow.js';
import { addNote, type ConversationNote } from '../repositories/conversation-notes.js';
import { getTeam } from '../repositories/teams.js';
import { agentById } from '../agents.js';

/** A state an agent may put a conversation in (the bot's is the bot's to give away). */
export type TargetState = 'open' | 'pending' | 'snoozed' | 'resolved';

/** Snoozes reach at most a year ahead: beyond that it is a reminder, not a snooze. */
const MAX_SNOOZE_MS = 366 * 86_400_000;

/**
 * The agents' workflow over a conversation: state, assignment, labels and
 * private notes. None of it is a chat event — the visitor's APIs and stream,
 * webhooks and channel replies read only chat events — so agents hear of it
 * on their own stream (`inbox`, `note`), and the visitor never does. Only
 * resolving and reopening change what the visitor sees (through ChatService).
 */
export class InboxService {
  constructor(
    private readonly store: Store,
    private readonly hub: ChatHub,
    private readonly chat: ChatService,
    private readonly now: Clock,
  ) {}

  private changed(c: Pick<ConversationRow, 'id' | 'site_key' | 'anonymous_id' | 'user_id'>, w: 'change' | 'note' = 'change', n?: number) {
    return this.hub.signal({ s: c.site_key, c: c.id, a: c.anonymous_id, u: c.user_id, w, ...(n !== undefined ? { n } : {}) });
  }

  async setState(c: ConversationRow, agent: Author, state: TargetState, until?: string): Promise<void> {
    if (c.status === 'bot' && state !== 'resolved') throw new ApiError('invalid_body', '/state: the bot has this conversation; hand it over or resolve it', '/state');
    if (state === 'resolved') {
      await this.chat.close(c, agent);
      return;
    }
    let untilIso: string | null = null;
    if (state === 'snoozed') {
      const t = until === undefined ? NaN : Date.parse(until);
      if (!Number.isFinite(t)) throw new ApiError('invalid_body', '/until: required for a snooze (an ISO 8601 instant)', '/until');
      if (t <= this.now() || t > this.now() + MAX_SNOOZE_MS) throw new ApiError('invalid_body', '/until: must lie in the next 366 days', '/until');
      untilIso = new Date(t).toISOString();
    }
    if (c.status === 'closed') await this.chat.reopen(c, agent);
    await this.store.transaction((tx) => setHold(tx, c.id, state === 'open' ? null : state === 'pending' ? 'customer' : 'snoozed', untilIso));
    await this.changed(c);
  }

  /** Assigns to an agent and/or a team of the conversation's site (null: nobody / no team). */
  async assign(c: ConversationRow, to: { assigneeId: string | null; teamId: string | null }): Promise<void> {
    if (to.assigneeId && !(await agentById(this.store, to.assigneeId))) throw new ApiError('invalid_body', '/assigneeId: no such agent', '/assigneeId');
    if (to.teamId && !(await getTeam(this.store, c.site_key, to.teamId))) throw new ApiError('invalid_body', '/teamId: no such team on this site', '/teamId');
    await this.store.transaction((tx) => assign(tx, c.id, to));
    await this.changed(c);
  }

  async labels(c: ConversationRow, labels: string[]): Promise<string[]> {
    // One spelling per label: trimmed, lower case, each once, in the order given.
    const clean = [...new Set(labels.map((l) => l.trim().toLowerCase()).filter(Boolean))];
    await this.store.transaction((tx) => setLabels(tx, c.id, clean));
    await this.changed(c);
    return clean;
  }

  async note(c: ConversationRow, agent: { id: string; name: string }, clientId: string, body: string): Promise<ConversationNote> {
    const { note, created } = await this.store.transaction((tx) => addNote(tx, { conversationId: c.id, agentId: agent.id, authorName: agent.name, clientId, body, at: isoNow(this.now) }));
    if (created) await this.changed(c, 'note', note.id);
    return note;
  }

  /** Wakes the snoozes whose time has come (server clock) and tells the consoles. */
  async wake(): Promise<number> {
    const woken = await wakeSnoozed(this.store, isoNow(this.now));
    for (const c of woken) await this.changed(c);
    return woken.length;
  }
}
