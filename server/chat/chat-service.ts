import type { Store, Queryable } from '../store/store.js';
import type { ChatEvent } from '../../src/protocol/chat.js';
import type { AuthorKind } from '../../src/protocol/constants.js';
import type { SiteConfig } from '../../src/protocol/site-config.js';
import type { Site } from '../sites.js';
import { integrationsOf } from '../integrations/integrations-config.js';
import { enqueueEvent, enqueueWebhook } from '../integrations/enqueue.js';
import { externalIdOf } from './channel-visitor.js';
import { botReply, type Faq } from './bot.js';
import type { ChatHub } from './chat-hub.js';
import { appendEvent, createConversation, setStatus, type ConversationRow, type NewEvent, type Visitor } from './chat-store.js';

export interface Author {
  kind: AuthorKind;
  name?: string | undefined;
}

export type SiteChat = NonNullable<SiteConfig['chat']>;

const BOT: Author = { kind: 'bot', name: 'Assistant' };
const SYSTEM: Author = { kind: 'system' };

/**
 * The chat's rules, over the store: every change is one transaction, then one
 * signal to all instances. The bot answers inside the visitor's transaction,
 * so a visitor never sees their message without the bot's reply after it.
 */
export class ChatService {
  constructor(
    private readonly store: Store,
    private readonly hub: ChatHub,
    private readonly faq: Faq,
    /** Whether any agent is available now (presence across instances). */
    private readonly agentsOnline: () => Promise<boolean>,
    /** The site: its own greeting and business hours (config `chat`, over the FAQ file's) and its integrations. */
    private readonly site: (siteKey: string) => Promise<Site | undefined> = async () => undefined,
  ) {}

  private async siteChat(siteKey: string): Promise<SiteChat | undefined> {
    return (await this.site(siteKey).catch(() => undefined))?.config.chat as SiteChat | undefined;
  }

  private async commit<T extends { conversation: ConversationRow; events: ChatEvent[] }>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const r = await this.store.transaction(async (tx) => {
      const out = await fn(tx);
      await this.notifyIntegrations(tx, out.conversation, out.events);
      return out;
    });
    const last = r.events.at(-1);
    if (last) {
      const first = Math.min(...r.events.map((e) => e.seq));
      await this.hub.signal({ s: r.conversation.site_key, c: r.conversation.id, a: r.conversation.anonymous_id, u: r.conversation.user_id, f: first, q: last.seq });
    }
    return r;
  }

  /**
   * In the same transaction as the events: a `conversation.{kind}` webhook per
   * event, and for a conversation from another channel, each agent reply to
   * that channel's reply URL (`conversation.reply`).
   */
  private async notifyIntegrations(tx: Queryable, c: ConversationRow, events: ChatEvent[]) {
    if (!events.length) return;
    const integrations = integrationsOf(await this.site(c.site_key).catch(() => undefined));
    const conversation = { id: c.id, channel: c.channel, anonymousId: c.anonymous_id, userId: c.user_id };
    if (integrations.webhooks.length) for (const e of events) await enqueueEvent(tx, c.site_key, integrations, `conversation.${e.kind}`, { conversation, event: e });
    const channel = c.channel !== 'web' ? integrations.channels[c.channel] : undefined;
    if (!channel) return;
    for (const e of events) {
      if (e.kind !== 'message' || e.author.kind !== 'agent') continue;
      await enqueueWebhook(tx, c.site_key, 'reply', [channel.replyUrl], 'conversation.reply', {
        channel: c.channel,
        externalId: externalIdOf(c),
        conversationId: c.id,
        messageId: `${c.id}:${e.seq}`,
        author: e.author,
        body: e.body,
        createdAt: e.createdAt,
      });
    }
  }

  private async handoffIn(tx: Queryable, c: ConversationRow, online: boolean, events: ChatEvent[]) {
    events.push((await appendEvent(tx, c.id, { kind: 'handoff', author: SYSTEM, data: { online } })).event);
    events.push(await setStatus(tx, c.id, 'pending', SYSTEM));
    // No one there: ask for an email and say when a person will be back (the site's business hours).
    const hours = online ? undefined : (await this.siteChat(c.site_key))?.businessHours;
    const body = online ? this.faq.handoff : hours ? `${this.faq.offline} (${hours})` : this.faq.offline;
    events.push((await appendEvent(tx, c.id, { kind: 'message', author: SYSTEM, body, data: online ? undefined : { askEmail: true, ...(hours ? { businessHours: hours } : {}) } })).event);
  }

  /** A visitor message and what follows it: the bot's answer or a hand-off while the bot has the conversation. */
  private async visitorMessageIn(tx: Queryable, c: ConversationRow, clientId: string, body: string, online: boolean, events: ChatEvent[]) {
    const { event, created } = await appendEvent(tx, c.id, { kind: 'message', author: { kind: 'visitor' }, clientId, body });
    events.push(event);
    if (!created) return;
    if (c.status === 'closed') events.push(await setStatus(tx, c.id, 'pending', SYSTEM));
    if (c.status !== 'bot') return;
    const reply = botReply(this.faq, body);
    if (reply.kind === 'handoff') await this.handoffIn(tx, { ...c, status: 'pending' }, online, events);
    else events.push((await appendEvent(tx, c.id, { kind: 'message', author: BOT, body: reply.text })).event);
  }

  async start(v: Visitor, o: { clientId: string; body?: string | undefined; sessionId?: string | undefined; page?: string | undefined; locale?: string | undefined; channel?: string }) {
    const online = await this.agentsOnline();
    const greeting = (await this.siteChat(v.siteKey))?.greeting ?? this.faq.greeting;
    return this.commit(async (tx) => {
      const { conversation, created } = await createConversation(tx, v, o);
      const events: ChatEvent[] = [];
      if (created) {
        if (o.channel && o.channel !== 'web') events.push(await setStatus(tx, conversation.id, 'pending', SYSTEM));
        else events.push((await appendEvent(tx, conversation.id, { kind: 'message', author: BOT, body: greeting })).event);
        if (o.body) await this.visitorMessageIn(tx, { ...conversation, status: o.channel && o.channel !== 'web' ? 'pending' : 'bot' }, `${o.clientId}:first`, o.body, online, events);
      }
      return { conversation, events };
    });
  }

  async visitorMessage(c: ConversationRow, clientId: string, body: string) {
    const online = await this.agentsOnline();
    return this.commit(async (tx) => {
      const events: ChatEvent[] = [];
      // Re-read under the transaction: the status may have changed since the caller looked.
      const fresh = (await tx.query<{ status: ConversationRow['status'] }>('SELECT status FROM conversations WHERE id = $1 FOR UPDATE', [c.id])).rows[0]!;
      await this.visitorMessageIn(tx, { ...c, status: fresh.status }, clientId, body, online, events);
      return { conversation: c, events, event: events[0]! };
    });
  }

  async handoff(c: ConversationRow) {
    const online = await this.agentsOnline();
    return this.commit(async (tx) => {
      const events: ChatEvent[] = [];
      const fresh = (await tx.query<{ status: string }>('SELECT status FROM conversations WHERE id = $1 FOR UPDATE', [c.id])).rows[0]!;
      if (fresh.status === 'bot') await this.handoffIn(tx, c, online, events);
      return { conversation: c, events };
    });
  }

  async agentMessage(c: ConversationRow, agent: Author, clientId: string, body: string) {
    return this.commit(async (tx) => {
      const events: ChatEvent[] = [];
      const { event, created } = await appendEvent(tx, c.id, { kind: 'message', author: agent, clientId, body });
      events.push(event);
      const fresh = (await tx.query<{ status: string }>('SELECT status FROM conversations WHERE id = $1', [c.id])).rows[0]!;
      if (created && fresh.status !== 'open') events.push(await setStatus(tx, c.id, 'open', agent));
      return { conversation: c, events, event };
    });
  }

  async close(c: ConversationRow, agent: Author) {
    return this.commit(async (tx) => ({ conversation: c, events: c.status === 'closed' ? [] : [await setStatus(tx, c.id, 'closed', agent)] }));
  }

  async read(c: ConversationRow, author: Author, seq: number) {
    return this.commit(async (tx) => ({ conversation: c, events: [(await appendEvent(tx, c.id, { kind: 'read', author, data: { seq } })).event] }));
  }

  async email(c: ConversationRow, email: string) {
    return this.commit(async (tx) => {
      await tx.query('UPDATE conversations SET visitor_email = $2 WHERE id = $1', [c.id, email]);
      return { conversation: c, events: [(await appendEvent(tx, c.id, { kind: 'email', author: { kind: 'visitor' }, data: { email } } satisfies NewEvent)).event] };
    });
  }

  typing(c: ConversationRow, author: Author, typing: boolean): Promise<void> {
    return this.hub.signal({ s: c.site_key, c: c.id, a: c.anonymous_id, u: c.user_id, t: { kind: author.kind, ...(author.name ? { name: author.name } : {}), typing } });
  }
}
