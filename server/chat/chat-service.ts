import type { Store, Queryable } from '../store/store.js';
import type { ChatEvent, AuthorKind, SiteConfig } from 'touchpoint/protocol';
import type { Site } from '../sites.js';
import { integrationsOf, type Integrations } from '../integrations/integrations-config.js';
import { enqueueEvents, enqueueReplies } from '../integrations/enqueue.js';
import { externalIdOf } from './channel-visitor.js';
import { botReply, handoffNotice, siteFaq, type Faq } from './bot.js';
import type { ChatHub } from './chat-hub.js';
import { isoNow, systemClock, type Clock } from '../lib/clock.js';
import { appendEvent, createConversation, getConversation, setStatus, setVisitorEmail, statusOf, type ConversationRow, type NewEvent, type Visitor } from './chat-store.js';
import { claimInbound, inboundConversationId, linkInbound } from '../repositories/inbound-channel-message.js';
import { channelReplies } from '../channels/channel-outbound.js';
import { clearHold, recordAgentReply, startWaiting } from '../repositories/conversation-workflow.js';
import { autoAssign } from './auto-assign.js';

export interface Author {
  kind: AuthorKind;
  name?: string | undefined;
  /** An agent's id: never stored in the event (visitors see names), it records who responded. */
  id?: string | undefined;
}

export type SiteChat = NonNullable<SiteConfig['chat']>;

/** A customer's message from a channel account (server/channels/): e-mail, Messenger, Instagram, WhatsApp. */
export interface ChannelMessageIn {
  channel: string;
  accountId: string;
  /** The platform's id (Message-ID, mid, wamid): a message delivered again is stored once. */
  messageId: string;
  body: string;
  authorName?: string | undefined;
  data?: Record<string, unknown> | undefined;
  /** Kept beside the message for threading (e-mail: subject, references). */
  meta?: Record<string, unknown> | undefined;
  /** The original bytes (e-mail: the whole RFC 822 message, attachments included). */
  raw?: Buffer | undefined;
  /** A new conversation's title in the inbox (`email: {subject}`). */
  page?: string | undefined;
  email?: string | undefined;
  /** Sent by a machine (an auto-reply, a bounce): stored, never reopens a closed conversation. */
  auto?: boolean | undefined;
  /** The platform's own time of the message (ms since the epoch): reply windows count from it. */
  sentAt?: number | undefined;
  /** The conversation it continues, looked up in the transaction; none: a new conversation. */
  thread: (tx: Queryable) => Promise<string | undefined>;
}

// No name: each visitor's element names the bot in their own language ("Assistant", "المساعد", "助手"…).
const BOT: Author = { kind: 'bot' };
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
    private readonly now: Clock = systemClock,
  ) {}

  /** The time of a conversation or event being written. */
  private at(): string {
    return isoNow(this.now);
  }

  /**
   * One change: `fn` in a transaction with the site's chat settings, the
   * integrations' deliveries in the same transaction, then one signal to all
   * instances. The site is read before the transaction opens: PGlite is one
   * connection, and a query outside an open transaction would wait for it forever.
   */
  private async commit<T extends { conversation: ConversationRow; events: ChatEvent[] }>(siteKey: string, fn: (tx: Queryable, chat: SiteChat | undefined) => Promise<T>): Promise<T> {
    const site = await this.site(siteKey).catch(() => undefined);
    const r = await this.store.transaction(async (tx) => {
      const out = await fn(tx, site?.config.chat as SiteChat | undefined);
      // Agents' replies in a channel account's conversation: a delivery each (or a "cannot reply" note), in this transaction.
      if (out.conversation.channel !== 'web') out.events.push(...(await channelReplies(tx, out.conversation, out.events, this.at())));
      await this.notifyIntegrations(tx, integrationsOf(site), out.conversation, out.events);
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
  private async notifyIntegrations(tx: Queryable, integrations: Integrations, c: ConversationRow, events: ChatEvent[]) {
    if (!events.length) return;
    const conversation = { id: c.id, channel: c.channel, anonymousId: c.anonymous_id, userId: c.user_id };
    await enqueueEvents(tx, c.site_key, integrations, events.map((e) => ({ type: `conversation.${e.kind}`, data: { conversation, event: e } })));
    const channel = c.channel !== 'web' ? integrations.channels[c.channel] : undefined;
    if (!channel) return;
    const replies = events
      .filter((e) => e.kind === 'message' && e.author.kind === 'agent')
      .map((e) => ({ channel: c.channel, externalId: externalIdOf(c), conversationId: c.id, messageId: `${c.id}:${e.seq}`, author: e.author, body: e.body, createdAt: e.createdAt }));
    await enqueueReplies(tx, c.site_key, channel.replyUrl, replies);
  }

  private async handoffIn(tx: Queryable, c: ConversationRow, online: boolean, chat: SiteChat | undefined, events: ChatEvent[]) {
    events.push((await appendEvent(tx, c.id, { kind: 'handoff', author: SYSTEM, data: { online }, at: this.at() })).event);
    events.push(await setStatus(tx, c.id, 'pending', SYSTEM, this.at()));
    await startWaiting(tx, c.id, this.at());
    await autoAssign(tx, c);
    // No one there: ask for an email and say when a person will be back (the site's business hours).
    const { body, data } = handoffNotice(this.faq, chat as Parameters<typeof handoffNotice>[1], online);
    events.push((await appendEvent(tx, c.id, { kind: 'message', author: SYSTEM, body, data, at: this.at() })).event);
  }

  /** A visitor message and what follows it: the bot's answer or a hand-off while the bot has the conversation. */
  private async visitorMessageIn(tx: Queryable, c: ConversationRow, clientId: string, body: string, online: boolean, chat: SiteChat | undefined, events: ChatEvent[]) {
    const { event, created } = await appendEvent(tx, c.id, { kind: 'message', author: { kind: 'visitor' }, clientId, body, at: this.at() });
    events.push(event);
    if (!created) return;
    // The customer wrote: a resolved conversation reopens, a hold (waiting for them, snoozed) ends.
    if (c.status === 'closed') {
      events.push(await setStatus(tx, c.id, 'pending', SYSTEM, this.at()));
      await autoAssign(tx, c);
    } else if (c.status !== 'bot') await clearHold(tx, c.id);
    if (c.status !== 'bot') return;
    const reply = botReply(siteFaq(this.faq, chat as Parameters<typeof siteFaq>[1]), body);
    if (reply.kind === 'handoff') await this.handoffIn(tx, { ...c, status: 'pending' }, online, chat, events);
    else events.push((await appendEvent(tx, c.id, { kind: 'message', author: BOT, body: reply.text, at: this.at() })).event);
  }

  async start(v: Visitor, o: { clientId: string; body?: string | undefined; sessionId?: string | undefined; page?: string | undefined; locale?: string | undefined; channel?: string }) {
    const online = await this.agentsOnline();
    return this.commit(v.siteKey, async (tx, chat) => {
      const { conversation, created } = await createConversation(tx, v, { ...o, at: this.at() });
      const events: ChatEvent[] = [];
      if (created) {
        if (o.channel && o.channel !== 'web') events.push(await setStatus(tx, conversation.id, 'pending', SYSTEM, this.at()));
        else events.push((await appendEvent(tx, conversation.id, { kind: 'message', author: BOT, body: chat?.greeting ?? this.faq.greeting, at: this.at() })).event);
        if (o.body) await this.visitorMessageIn(tx, { ...conversation, status: o.channel && o.channel !== 'web' ? 'pending' : 'bot' }, `${o.clientId}:first`, o.body, online, chat, events);
      }
      return { conversation, events };
    });
  }

  async visitorMessage(c: ConversationRow, clientId: string, body: string) {
    const online = await this.agentsOnline();
    return this.commit(c.site_key, async (tx, chat) => {
      const events: ChatEvent[] = [];
      // Re-read under the transaction: the status may have changed since the caller looked.
      await this.visitorMessageIn(tx, { ...c, status: await statusOf(tx, c.id) }, clientId, body, online, chat, events);
      return { conversation: c, events, event: events[0]! };
    });
  }

  /**
   * A channel's message: the platform id claimed first (a replay finds it and
   * changes nothing), then the conversation it threads into — or a new one,
   * pending for an agent (channels have no bot) — and the message.
   */
  async channelMessage(v: Visitor, m: ChannelMessageIn): Promise<{ conversation: ConversationRow; events: ChatEvent[]; created: boolean }> {
    return this.commit(v.siteKey, async (tx) => {
      const at = this.at();
      const sentAt = m.sentAt !== undefined && Number.isFinite(m.sentAt) && Math.abs(m.sentAt) < 8.64e15 ? new Date(m.sentAt).toISOString() : null;
      const key = { siteKey: v.siteKey, channel: m.channel, messageId: m.messageId };
      if (!(await claimInbound(tx, key, { accountId: m.accountId, meta: m.meta, raw: m.raw, sentAt, at }))) {
        return { conversation: (await getConversation(tx, (await inboundConversationId(tx, key))!))!, events: [], created: false };
      }
      const events: ChatEvent[] = [];
      const threadId = await m.thread(tx);
      let c = threadId ? await getConversation(tx, threadId) : undefined;
      const isNew = !c;
      if (c) c.status = await statusOf(tx, c.id);
      else {
        c = (await createConversation(tx, v, { clientId: `${m.channel}:${m.messageId}`, channel: m.channel, page: m.page, at })).conversation;
        // A machine's mail (a bulk mailing, an out-of-office) is kept, but is nobody's work: it starts closed.
        c.status = m.auto ? 'closed' : 'pending';
        events.push(await setStatus(tx, c.id, c.status, SYSTEM, at));
        if (!m.auto) {
          await startWaiting(tx, c.id, at);
          await autoAssign(tx, c);
        }
      }
      const { event } = await appendEvent(tx, c.id, { kind: 'message', author: { kind: 'visitor', name: m.authorName }, clientId: `${m.channel}:${m.messageId}`, body: m.body, data: m.data, at });
      events.push(event);
      if (!isNew && c.status === 'closed' && !m.auto) {
        events.push(await setStatus(tx, c.id, 'pending', SYSTEM, at));
        await autoAssign(tx, c);
      } else if (!isNew && !m.auto) await clearHold(tx, c.id);
      await linkInbound(tx, key, c.id, event.seq);
      if (m.email && !c.visitor_email) await setVisitorEmail(tx, c.id, m.email);
      return { conversation: c, events, created: true };
    });
  }

  /** A system line in a conversation (a channel's delivery failure, say): the inbox shows it, the customer never receives it. */
  async note(c: ConversationRow, body: string, data?: Record<string, unknown>) {
    return this.commit(c.site_key, async (tx) => ({ conversation: c, events: [(await appendEvent(tx, c.id, { kind: 'message', author: SYSTEM, body, data, at: this.at() })).event] }));
  }

  async handoff(c: ConversationRow) {
    const online = await this.agentsOnline();
    return this.commit(c.site_key, async (tx, chat) => {
      const events: ChatEvent[] = [];
      if ((await statusOf(tx, c.id)) === 'bot') await this.handoffIn(tx, c, online, chat, events);
      return { conversation: c, events };
    });
  }

  async agentMessage(c: ConversationRow, agent: Author, clientId: string, body: string) {
    return this.commit(c.site_key, async (tx) => {
      const events: ChatEvent[] = [];
      const { event, created } = await appendEvent(tx, c.id, { kind: 'message', author: { kind: agent.kind, name: agent.name }, clientId, body, at: this.at() });
      events.push(event);
      if (created && agent.id) await recordAgentReply(tx, c.id, agent.id, this.at());
      if (created && (await statusOf(tx, c.id, false)) !== 'open') events.push(await setStatus(tx, c.id, 'open', agent, this.at()));
      return { conversation: c, events, event };
    });
  }

  /**
   * A message carrying files (server/attachments/): `files` writes their rows
   * in the message's transaction, so the event and its files are stored
   * together or not at all (the bytes are on disk before). It moves the
   * conversation as a message of its author does: an agent's opens it, a
   * visitor's reopens a closed one; the bot does not answer files.
   */
  async fileMessage(c: ConversationRow, author: Author, clientId: string, data: Record<string, unknown>, files: (tx: Queryable, seq: number) => Promise<void>) {
    return this.commit(c.site_key, async (tx) => {
      const { event, created } = await appendEvent(tx, c.id, { kind: 'message', author: { kind: author.kind, name: author.name }, clientId, data, at: this.at() });
      const events = [event];
      if (!created) return { conversation: c, events, created };
      await files(tx, event.seq);
      const status = await statusOf(tx, c.id);
      // The workflow as for words: an agent's file is a response (and takes an unassigned conversation), a customer's ends a hold.
      if (author.kind === 'agent' && author.id) await recordAgentReply(tx, c.id, author.id, this.at());
      if (author.kind === 'agent' && status !== 'open') events.push(await setStatus(tx, c.id, 'open', { kind: author.kind, name: author.name }, this.at()));
      if (author.kind === 'visitor' && status === 'closed') {
        events.push(await setStatus(tx, c.id, 'pending', SYSTEM, this.at()));
        await autoAssign(tx, c);
      } else if (author.kind === 'visitor' && status !== 'bot') await clearHold(tx, c.id);
      return { conversation: c, events, created };
    });
  }

  async close(c: ConversationRow, agent: Author) {
    return this.commit(c.site_key, async (tx) => ({ conversation: c, events: c.status === 'closed' ? [] : [await setStatus(tx, c.id, 'closed', { kind: agent.kind, name: agent.name }, this.at())] }));
  }

  /** An agent takes a resolved conversation back: the visitor sees it open again. */
  async reopen(c: ConversationRow, agent: Author) {
    return this.commit(c.site_key, async (tx) => ({ conversation: c, events: (await statusOf(tx, c.id)) === 'closed' ? [await setStatus(tx, c.id, 'open', { kind: agent.kind, name: agent.name }, this.at())] : [] }));
  }

  async read(c: ConversationRow, author: Author, seq: number) {
    return this.commit(c.site_key, async (tx) => ({ conversation: c, events: [(await appendEvent(tx, c.id, { kind: 'read', author, data: { seq }, at: this.at() })).event] }));
  }

  async email(c: ConversationRow, email: string) {
    return this.commit(c.site_key, async (tx) => {
      await setVisitorEmail(tx, c.id, email);
      return { conversation: c, events: [(await appendEvent(tx, c.id, { kind: 'email', author: { kind: 'visitor' }, data: { email }, at: this.at() } satisfies NewEvent)).event] };
    });
  }

  typing(c: ConversationRow, author: Author, typing: boolean): Promise<void> {
    return this.hub.signal({ s: c.site_key, c: c.id, a: c.anonymous_id, u: c.user_id, t: { kind: author.kind, ...(author.name ? { name: author.name } : {}), typing } });
  }
}
