import type { ChatEvent, Conversation } from '../protocol/chat.js';
import type { ConversationStatus } from '../protocol/constants.js';
import type { SiteConfig } from '../protocol/site-config.js';
import { backoff } from '../protocol/backoff.js';
import { createEmitter, type Emitter } from '../lib/emitter.js';
import { uuidv7 } from '../lib/uuidv7.js';
import { scrubUrl } from '../lib/scrub-url.js';
import { onPageHide } from '../lib/on-page-hide.js';
import { siteConfig } from '../lib/site-config.js';
import { ChatTransport, httpFailure, type ChatIdentity } from './chat-transport.js';
import { ChatQueue } from './chat-queue.js';
import { ChatLeader, type TabMessage } from './chat-leader.js';
import { contiguousSeq, openChatStream } from './chat-stream.js';
import { unreadCount } from './chat-unread.js';
import { readConversation, writeConversation, type StoredConversation } from './stored-conversation.js';
import { KEYS } from '../lib/storage-keys.js';

/** A message the visitor wrote that the server has not confirmed yet. */
export interface PendingMessage {
  clientId: string;
  body: string;
  /** `failed`: not delivered within `sendTimeout` or refused — shown as "Not sent · Retry". */
  state: 'sending' | 'failed';
}

export interface ChatClientOptions {
  endpoint: string;
  siteKey: string;
  /** The visitor's anonymous id (the SDK's when present); without one (or `''`), an id of this client's own. */
  anonymousId?: () => string;
  /** A verified identity for cross-device continuity: the SDK's userId and its userHash. A refused one falls back to anonymous. */
  identity?: () => ChatIdentity | undefined;
  /** Whether the conversation may be remembered on this device (consent: functional). */
  mayStore: () => boolean;
  /** The SDK's session: links the conversation to its replay and attribution. */
  sessionId?: () => string | undefined;
  /** How long a message may take to be delivered (retries, offline) before it shows as not sent, in ms. */
  sendTimeout?: number;
}

export interface ChatClientEvents extends Record<string, unknown[]> {
  /** Anything visible changed: events, pending messages, status, typing, unread. */
  change: [];
  /** A new message from someone else. */
  message: [event: ChatEvent];
  typing: [author: ChatEvent['author'], typing: boolean];
  /** An agent closed the conversation while the visitor was here (a CSAT survey's cue). */
  closed: [conversationId: string];
  /** The conversation passed from the bot to the people (a replay trigger in buffer mode). */
  handoff: [conversationId: string];
}


/** Delivery gives up (the message shows "Not sent · Retry") after this long: never an endless "Sending…". */
const SEND_TIMEOUT = 15_000;

/** Resolves after `ms`, or as soon as the browser is back online. */
const pause = (ms: number) =>
  new Promise<void>((r) => {
    const done = () => {
      clearTimeout(t);
      removeEventListener('online', done);
      r();
    };
    const t = setTimeout(done, ms);
    addEventListener('online', done);
  });

/**
 * The visitor's side of the chat protocol, framework-free, composed of
 * `ChatTransport` (HTTP), `ChatQueue` (unsent messages), `ChatLeader` (one
 * stream per browser), `openChatStream` (SSE) and `unreadCount`.
 *
 * - Sends are optimistic, idempotent (a clientId per message) and in order:
 *   one loop delivers the queue, retrying with backoff and waiting while
 *   offline, for at most `sendTimeout`; then the message shows as not sent
 *   and `retry()` sends it again under the same clientId (the server keeps one).
 * - One stream per browser: the leader tab repeats every event to the
 *   others; when it closes, the next tab resumes from the last seq up to
 *   which it has every event, so nothing said meanwhile is missed.
 * - Tabs never start two conversations: starting one is exclusive across
 *   tabs, and a tab that learns of another's conversation takes it up, with
 *   its history, and joins the stream.
 */
export class ChatClient {
  /** Listens to the client's events (`change`, `message`, `typing`, `closed`, `handoff`). */
  declare readonly on: Emitter<ChatClientEvents>['on'];
  private declare readonly emit: Emitter<ChatClientEvents>['emit'];
  conversation: Conversation | undefined;
  events: ChatEvent[] = [];
  pending: PendingMessage[] = [];
  agentTyping: ChatEvent['author'] | undefined;
  /** Whether a person can answer now, as the stream last said (`undefined` before it has): live, unlike the site config's. */
  agentsOnline: boolean | undefined;
  private readonly __http: ChatTransport;
  private readonly __queue: ChatQueue;
  private readonly __leader: ChatLeader;
  private __source: EventSource | undefined;
  private __pumping: Promise<void> | undefined;
  private __adopting: Promise<void> | undefined;
  /** Events of a conversation this tab is still taking up (from the leader): merged once its history is in. */
  private __early: ChatEvent[] = [];
  private __ownId: string | undefined;
  private __readSent = 0;

  constructor(private readonly o: ChatClientOptions) {
    Object.assign(this, createEmitter<ChatClientEvents>()); // `on` and `emit`
    this.__http = new ChatTransport(o.endpoint, o.siteKey, () => this.anonymousId, o.identity);
    this.__queue = new ChatQueue(o.mayStore);
    this.__leader = new ChatLeader(`${KEYS.lock.chat}${o.siteKey}`, (m) => this.__fromTab(m));
    onPageHide(() => this.__queue.__spill(this.anonymousId, this.pending));
  }

  get endpoint(): string {
    return this.o.endpoint;
  }
  get siteKey(): string {
    return this.o.siteKey;
  }
  get anonymousId(): string {
    return this.o.anonymousId?.() || (this.__ownId ??= uuidv7());
  }

  get status(): ConversationStatus | undefined {
    return this.conversation?.status;
  }

  /** Messages from others after the visitor's last read receipt or message — the same in every tab. */
  get unread(): number {
    return unreadCount(this.events);
  }

  /** The site's chat settings (greeting, business hours, presence); `undefined` when unreachable. */
  settings(): Promise<SiteConfig['chat']> {
    return siteConfig(this.o.endpoint, this.o.siteKey).then((c) => c?.chat);
  }

  private __fromTab(m: TabMessage) {
    if (m.t === 'ev') this.__merge([m.e]);
    else if (m.t === 'typing') this.__setTyping(m.author, m.typing);
    else if (m.t === 'presence') this.__setOnline(m.online);
    else this.reset(false);
  }

  private __setTyping(author: ChatEvent['author'], typing: boolean) {
    this.agentTyping = typing ? author : undefined;
    this.emit('typing', author, typing);
    this.emit('change');
  }

  private __setOnline(online: boolean) {
    this.agentsOnline = online;
    this.emit('change');
  }

  /** Merges events by seq: the POST answer, the stream and other tabs may all bring one. */
  private __merge(events: ChatEvent[]) {
    for (const e of events) {
      if (!this.conversation) {
        // Another tab started a conversation: take it up, with its history, and keep this event for after it.
        this.__early.push(e);
        void this.__adopt(e.conversationId);
        continue;
      }
      if (e.conversationId !== this.conversation.id || this.events.some((x) => x.seq === e.seq)) continue;
      this.events.push(e);
      this.conversation = { ...this.conversation, lastSeq: Math.max(this.conversation.lastSeq, e.seq) };
      if (e.kind === 'status') {
        this.conversation.status = e.data!.status as ConversationStatus;
        if (e.data!.status === 'closed') this.emit('closed', e.conversationId);
        if (e.data!.status === 'pending') this.emit('handoff', e.conversationId);
      }
      if (e.clientId) this.__confirm(e.clientId.replace(/:first$/, ''));
      if (e.kind === 'message' && e.author.kind !== 'visitor') {
        this.agentTyping = undefined;
        this.emit('message', e);
      }
    }
    this.events.sort((a, b) => a.seq - b.seq);
    this.emit('change');
  }

  private __confirm(clientId: string) {
    if (!this.pending.some((p) => p.clientId === clientId)) return;
    this.pending = this.pending.filter((p) => p.clientId !== clientId);
    this.__queue.__remove([clientId]);
  }

  private __stored(): StoredConversation | undefined {
    const s = readConversation();
    return s?.a === this.anonymousId ? s : undefined;
  }

  /** Takes up conversation `id` with its whole history. False when it is gone (404) or another is taken up; throws when offline. */
  private async __load(id: string): Promise<boolean> {
    let events: ChatEvent[];
    try {
      ({ events } = await this.__http.__get<{ events: ChatEvent[] }>(`/conversations/${id}/events`, '&after=0'));
    } catch (e) {
      const status = (e as { status?: number }).status;
      if (!status) throw e;
      if (status === 404) writeConversation(undefined);
      return false;
    }
    if (this.conversation && this.conversation.id !== id) return false;
    const last = events.filter((e) => e.kind === 'status').at(-1);
    this.conversation ??= { id, status: (last?.data?.status as ConversationStatus) ?? 'bot', channel: 'web', lastSeq: 0, createdAt: events[0]?.createdAt ?? new Date().toISOString() };
    this.__merge([...events, ...this.__early.splice(0)]);
    return true;
  }

  /** Another tab's conversation: its history, then the stream (this tab may lead it next). */
  private __adopt(id: string): Promise<void> {
    return (this.__adopting ??= this.__load(id)
      .then(
        (ok) => void (ok && this.connect()),
        () => {},
      )
      .finally(() => (this.__adopting = undefined)));
  }

  /** Resumes the conversation remembered on this device and any message still queued. Never throws. */
  async resume(): Promise<void> {
    let s = this.__stored();
    try {
      // Messages written offline before a reload: shown again and sent.
      const queued = await this.__queue.__restore(this.anonymousId);
      for (const q of queued) if (!this.pending.some((p) => p.clientId === q.clientId)) this.pending.push({ ...q, state: 'sending' });
      if (queued.length) this.emit('change');
      // A verified user on another device: continue their latest open conversation.
      if (!s && this.__http.__verified()) {
        const { conversations } = await this.__http.__get<{ conversations: Conversation[] }>('/conversations').catch(() => ({ conversations: [] as Conversation[] }));
        const open = conversations.find((c) => c.status !== 'closed');
        if (open) s = { c: open.id, a: this.anonymousId };
      }
      if (s && (await this.__load(s.c))) this.connect();
    } catch {
      // Offline or blocked: the panel still opens; sending will retry.
    }
    void this.__pump();
  }

  /** Joins the browser's one stream (once): leads it when no other tab does, else listens to the leader. */
  connect(): void {
    if (typeof EventSource != 'undefined') this.__leader.__join(() => this.__openStream());
  }

  private __openStream() {
    // From the last seq up to which this tab has everything: what the closed leader had not passed on comes now.
    const cursor = this.conversation ? `&cursor=${encodeURIComponent(`${this.conversation.id}:${contiguousSeq(this.events)}`)}` : '';
    this.__http.__signed('/stream', cursor).then(
      (url) => {
        if (!this.__leader.__joined) return this.__leader.__leave(); // reset while waiting
        this.__source = openChatStream(url, {
          chat: (e) => {
            this.__leader.__tell({ t: 'ev', e });
            this.__merge([e]);
          },
          typing: (t) => {
            this.__leader.__tell({ t: 'typing', ...t });
            this.__setTyping(t.author, t.typing);
          },
          presence: (p) => {
            this.__leader.__tell({ t: 'presence', online: p.online });
            this.__setOnline(p.online);
          },
        });
      },
      () => {
        // No token (offline): try again when the network is back.
        this.__leader.__leave();
        addEventListener('online', () => this.connect(), { once: true });
      },
    );
  }

  /** Sends a message: shown at once as "sending", kept until the server confirms, sent in order. */
  send(body: string, clientId = uuidv7()): Promise<void> {
    const text = body.trim();
    if (!text) return Promise.resolve();
    const existing = this.pending.find((p) => p.clientId === clientId);
    if (existing) existing.state = 'sending';
    else {
      this.pending.push({ clientId, body: text, state: 'sending' });
      this.__queue.__add(this.anonymousId, { clientId, body: text });
    }
    this.emit('change');
    return this.__pump();
  }

  /** The one delivery loop: oldest "sending" message first, so messages arrive in the order written. */
  private __pump(): Promise<void> {
    return (this.__pumping ??= (async () => {
      for (let p; (p = this.pending.find((x) => x.state === 'sending')); ) await this.__deliver(p);
    })().finally(() => (this.__pumping = undefined)));
  }

  /**
   * Starts the conversation with its first message — unless another tab
   * has one: then that one is taken up and the message goes there. Returns
   * the conversation the message went to.
   */
  private __start(p: PendingMessage): Promise<string> {
    return this.__leader.__exclusive('start', async () => {
      await this.__adopting;
      const s = this.__stored();
      if (!this.conversation && s) await this.__load(s.c);
      if (this.conversation) return p.body ? this.__message(p) : this.conversation.id;
      // One conversation however often this is retried: the clientId is its idempotency key.
      const r = await this.__http.__post<{ conversation: Conversation; events: ChatEvent[] }>('/conversations', { clientId: p.clientId, body: p.body || undefined, page: scrubUrl(location.href), locale: navigator.language, sessionId: this.o.sessionId?.() });
      this.conversation ??= r.conversation;
      if (this.o.mayStore()) writeConversation({ c: r.conversation.id, a: this.anonymousId });
      // A repeated start (its answer was lost) brings no events: the history has them.
      this.__merge(r.events.length ? r.events : (await this.__http.__get<{ events: ChatEvent[] }>(`/conversations/${r.conversation.id}/events`, '&after=0')).events);
      this.connect();
      return r.conversation.id;
    });
  }

  private async __message(p: PendingMessage): Promise<string> {
    const id = this.conversation!.id;
    this.__merge((await this.__http.__post<{ events: ChatEvent[] }>(`/conversations/${id}/messages`, { clientId: p.clientId, body: p.body })).events);
    return id;
  }

  private async __deliver(p: PendingMessage): Promise<void> {
    const until = Date.now() + (this.o.sendTimeout ?? SEND_TIMEOUT);
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      if (navigator.onLine !== false)
        try {
          const to = this.conversation ? await this.__message(p) : await this.__start(p);
          // Delivered where this tab is: done. (Another tab's conversation was taken up meanwhile: send it there too.)
          if (to === this.conversation?.id) return this.__confirm(p.clientId);
          continue;
        } catch (e) {
          status = (e as { status?: number }).status ?? 0;
        }
      if (!this.pending.includes(p)) return; // reset meanwhile
      const left = until - Date.now();
      // A refusal (4xx) will not change by itself, and the visitor is not kept waiting past the deadline.
      if ((status >= 400 && status < 500 && status !== 429) || left <= 0) {
        p.state = 'failed';
        this.emit('change');
        return;
      }
      await pause(navigator.onLine === false ? left : Math.min(left, backoff(attempt)));
    }
  }

  /**
   * Sends a file, an image or a PDF (docs/protocol.md §10.3), starting the
   * conversation when there is none. Not queued: it rejects with the
   * server's `status` (413 too large, 415 not an image or PDF) or 0 offline,
   * and the caller says so. `clientId` makes a retry post it once.
   */
  async attach(file: Blob & { name?: string }, clientId = uuidv7()): Promise<void> {
    if (!this.conversation) await this.__start({ clientId: `${clientId}:start`, body: '', state: 'sending' });
    const url = await this.__http.__signed(`/conversations/${this.conversation!.id}/attachments`, `&clientId=${encodeURIComponent(clientId)}&name=${encodeURIComponent(file.name || 'file')}`);
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': file.type || 'application/octet-stream' }, body: file });
    if (!res.ok) throw httpFailure('attachment', res.status);
    this.__merge(((await res.json()) as { events: ChatEvent[] }).events);
  }

  /** Where file `index` of message `seq` is read (the URL carries the visitor token: for an `<img>` or a link). */
  attachmentUrl(seq: number, index: number): Promise<string> {
    return this.__http.__signed(`/conversations/${this.conversation?.id}/attachments/${seq}/${index}`);
  }

  /** Sends a not-sent message again, under its clientId: the server keeps it once however often it arrived. */
  retry(clientId: string): Promise<void> {
    const p = this.pending.find((x) => x.clientId === clientId);
    return p ? this.send(p.body, clientId) : Promise.resolve();
  }

  private __action(name: 'typing' | 'read' | 'handoff' | 'email', body: Record<string, unknown> = {}) {
    if (!this.conversation) return Promise.resolve();
    return this.__http.__post<{ events?: ChatEvent[] }>(`/conversations/${this.conversation.id}/${name}`, body).then(
      (r) => r?.events && this.__merge(r.events),
      () => {},
    );
  }

  typing(typing: boolean): Promise<unknown> {
    return this.__action('typing', { typing });
  }
  handoff(): Promise<unknown> {
    return this.__action('handoff');
  }
  leaveEmail(email: string): Promise<unknown> {
    return this.__action('email', { email });
  }
  /** Tells the other side (and the visitor's other tabs) that the visitor has read up to the latest message — once per new message. */
  markRead(): Promise<unknown> {
    const seq = this.events.at(-1)?.seq ?? 0;
    // A receipt is itself an event (and a change): never send one for the same point twice.
    if (!this.unread || seq <= this.__readSent) return Promise.resolve();
    this.__readSent = seq;
    return this.__action('read', { seq });
  }

  /**
   * Logout on a shared computer: the conversation leaves this device — this
   * tab, the others (`broadcast`), the stored pointer and the queued messages.
   */
  reset(broadcast = true): void {
    if (broadcast) this.__leader.__tell({ t: 'reset' });
    this.__source?.close();
    this.__source = undefined;
    this.__leader.__leave();
    this.__http.__forget();
    this.conversation = undefined;
    this.events = [];
    this.__early = [];
    this.__queue.__remove(this.pending.map((p) => p.clientId));
    this.pending = [];
    writeConversation(undefined);
    this.__queue.__clearSpill();
    this.emit('change');
  }
}
