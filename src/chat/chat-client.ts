import type { ChatEvent, Conversation } from '../protocol/chat.js';
import type { ConversationStatus } from '../protocol/constants.js';
import { Emitter } from '../lib/emitter.js';
import { readStored, writeStored } from '../lib/storage.js';
import { uuidv7 } from '../lib/uuidv7.js';
import { backoff } from '../protocol/backoff.js';
import { scrubUrl } from '../lib/scrub-url.js';
import { memoryOutbox, type Outbox, type OutboxItem } from '../core/outbox.js';
import { openOutbox } from '../core/idb-outbox.js';
import { onPageHide } from '../lib/on-page-hide.js';

/** A message the visitor wrote that the server has not confirmed yet. */
export interface PendingMessage {
  clientId: string;
  body: string;
  state: 'sending' | 'failed';
}

export interface ChatClientOptions {
  endpoint: string;
  siteKey: string;
  /** The visitor's anonymous id (the SDK's when present). */
  anonymousId: () => string;
  /** A verified identity for cross-device continuity: the SDK's userId and its userHash. */
  identity?: () => { userId: string; userHash: string } | undefined;
  /** Whether the conversation may be remembered on this device (consent: functional). */
  mayStore: () => boolean;
  /** The SDK's session: links the conversation to its replay and attribution. */
  sessionId?: () => string | undefined;
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

interface Stored {
  /** conversation id */
  c: string;
  /** anonymous id it belongs to: a different visitor on this device never sees it */
  a: string;
}

/** A message waiting in the IndexedDB outbox: survives reloads and offline periods. */
interface Queued {
  /** anonymous id of its writer */
  a: string;
  b: string;
}

/** What tabs of one browser tell each other on the BroadcastChannel. */
type TabMessage =
  | { t: 'ev'; e: ChatEvent }
  | { t: 'typing'; author: ChatEvent['author']; typing: boolean }
  | { t: 'reset' };

const QUEUE_DB = 'touchpoint-chat';
const QUEUE_CAP = 256 * 1024;
/** localStorage keys (`tp:v1:chat-spill:<tab>`) of messages a tab going away had not seen confirmed. */
const SPILL = 'chat-spill';

/**
 * The visitor's side of the chat protocol, framework-free.
 *
 * - Sends are optimistic, idempotent (a clientId per message) and in order:
 *   one loop delivers the queue, retrying with backoff and waiting while
 *   offline. Queued messages live in IndexedDB (when storage is allowed), so
 *   a message written offline goes when the visitor is back, even after a reload.
 * - One stream per browser: the tab holding a Web Lock opens the EventSource
 *   and repeats every event on a BroadcastChannel; when it closes, another
 *   tab takes the lock and resumes from its own cursor. EventSource's
 *   automatic `Last-Event-ID` makes the server send exactly what was missed.
 */
export class ChatClient extends Emitter<ChatClientEvents> {
  conversation: Conversation | undefined;
  events: ChatEvent[] = [];
  pending: PendingMessage[] = [];
  agentTyping: ChatEvent['author'] | undefined;
  private token: Promise<string> | undefined;
  private source: EventSource | undefined;
  private connecting = false;
  private releaseLock: (() => void) | undefined;
  private channel: BroadcastChannel | undefined;
  private pumping: Promise<void> | undefined;
  private queue: Promise<Outbox> | undefined;
  private adopting: Promise<void> | undefined;

  constructor(private readonly o: ChatClientOptions) {
    super();
    try {
      this.channel = new BroadcastChannel(`tp:v1:chat:${o.siteKey}`);
      this.channel.onmessage = (m: MessageEvent<TabMessage>) => this.fromTab(m.data);
    } catch {
      // No BroadcastChannel (old Safari): every tab keeps its own stream.
    }
    onPageHide(() => this.spill());
  }

  get endpoint(): string {
    return this.o.endpoint;
  }
  get siteKey(): string {
    return this.o.siteKey;
  }

  get status(): ConversationStatus | undefined {
    return this.conversation?.status;
  }

  /** Messages from others after the visitor's last read receipt or message — the same in every tab. */
  get unread(): number {
    let n = 0;
    for (const e of this.events) {
      if (e.author.kind === 'visitor' && (e.kind === 'message' || e.kind === 'read')) n = 0;
      else if (e.kind === 'message' && e.author.kind !== 'system') n++;
    }
    return n;
  }

  private url(path: string) {
    return `${this.o.endpoint.replace(/\/$/, '')}/v1/chat${path}`;
  }

  private getToken(): Promise<string> {
    return (this.token ??= (async () => {
      const res = await fetch(`${this.o.endpoint.replace(/\/$/, '')}/v1/visitor`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ protocol: 1, siteKey: this.o.siteKey, anonymousId: this.o.anonymousId(), ...this.o.identity?.() }),
      });
      if (!res.ok) throw new Error(`visitor token: ${res.status}`);
      return ((await res.json()) as { token: string }).token;
    })().catch((e) => {
      this.token = undefined;
      throw e;
    }));
  }

  private async post<T>(path: string, body: Record<string, unknown>): Promise<T> {
    const send = async () =>
      fetch(this.url(path), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ protocol: 1, siteKey: this.o.siteKey, token: await this.getToken(), ...body }) });
    let res = await send();
    if (res.status === 401) {
      this.token = undefined; // expired: ask for a new token once
      res = await send();
    }
    if (!res.ok) throw Object.assign(new Error(`chat ${path}: ${res.status}`), { status: res.status });
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  private fromTab(m: TabMessage) {
    if (m.t === 'ev') this.merge([m.e]);
    else if (m.t === 'typing') this.setTyping(m.author, m.typing);
    else this.reset(false);
  }

  private toTabs(m: TabMessage) {
    try {
      this.channel?.postMessage(m);
    } catch {
      // The channel closed (reset): nothing to tell.
    }
  }

  private setTyping(author: ChatEvent['author'], typing: boolean) {
    this.agentTyping = typing ? author : undefined;
    this.emit('typing', author, typing);
    this.emit('change');
  }

  /** Merges events by seq: the POST answer, the stream and other tabs may all bring one. */
  private merge(events: ChatEvent[]) {
    for (const e of events) {
      // Another tab started a conversation: take it up, with its history.
      if (!this.conversation) void this.adopt(e.conversationId);
      if (e.conversationId !== this.conversation?.id || this.events.some((x) => x.seq === e.seq)) continue;
      this.events.push(e);
      this.conversation = { ...this.conversation, lastSeq: Math.max(this.conversation.lastSeq, e.seq) };
      if (e.kind === 'status') {
        this.conversation.status = e.data!.status as ConversationStatus;
        if (e.data!.status === 'closed') this.emit('closed', e.conversationId);
        if (e.data!.status === 'pending') this.emit('handoff', e.conversationId);
      }
      if (e.clientId) this.confirm(e.clientId.replace(/:first$/, ''));
      if (e.kind === 'message' && e.author.kind !== 'visitor') {
        this.agentTyping = undefined;
        this.emit('message', e);
      }
    }
    this.events.sort((a, b) => a.seq - b.seq);
    this.emit('change');
  }

  private confirm(clientId: string) {
    if (!this.pending.some((p) => p.clientId === clientId)) return;
    this.pending = this.pending.filter((p) => p.clientId !== clientId);
    void this.outbox().then((q) => q.remove([clientId])).catch(() => {});
  }

  /** IndexedDB when storage is allowed and works; memory from its first failure on (quota, private mode), never an error. */
  private outbox(): Promise<Outbox> {
    return (this.queue ??= this.o.mayStore() ? openOutbox(QUEUE_CAP, undefined, undefined, undefined, QUEUE_DB) : Promise.resolve(memoryOutbox(QUEUE_CAP)));
  }

  private readonly tab = uuidv7();
  /**
   * A tab going away (closed right after Send, or its IndexedDB write failed):
   * the messages not confirmed yet go to localStorage in the same task — an
   * IndexedDB write begun now may never commit. `resume()` takes them back.
   */
  private spill() {
    if (!this.o.mayStore()) return;
    const a = this.o.anonymousId();
    writeStored(`${SPILL}:${this.tab}`, this.pending.length ? this.pending.map((p): OutboxItem => ({ id: p.clientId, kind: 'chat', body: { a, b: p.body } satisfies Queued, bytes: p.body.length * 2 + 64 })) : undefined);
  }

  /** Messages tabs left in localStorage as they went away, into the queue (the same clientId twice is one message). */
  private async unspill(queue: Outbox) {
    const keys: string[] = [];
    try {
      for (let i = 0; i < localStorage.length; i++) if (localStorage.key(i)!.startsWith(`tp:v1:${SPILL}:`)) keys.push(localStorage.key(i)!.slice(6));
    } catch {
      return;
    }
    for (const key of keys) {
      await queue.put(readStored<OutboxItem[]>(key) ?? []);
      writeStored(key, undefined);
    }
  }

  private async load(id: string): Promise<boolean> {
    const res = await fetch(`${this.url(`/conversations/${id}/events`)}?site=${encodeURIComponent(this.o.siteKey)}&token=${encodeURIComponent(await this.getToken())}&after=0`);
    if (!res.ok) {
      if (res.status === 404) writeStored('chat', undefined);
      return false;
    }
    const { events } = (await res.json()) as { events: ChatEvent[] };
    if (this.conversation && this.conversation.id !== id) return false;
    const last = events.filter((e) => e.kind === 'status').at(-1);
    this.conversation ??= { id, status: (last?.data?.status as ConversationStatus) ?? 'bot', channel: 'web', lastSeq: 0, createdAt: events[0]?.createdAt ?? new Date().toISOString() };
    this.merge(events);
    return true;
  }

  private adopt(id: string): Promise<void> {
    return (this.adopting ??= this.load(id).then(
      () => {},
      () => {},
    ).finally(() => (this.adopting = undefined)));
  }

  /** Resumes the conversation remembered on this device and any message still queued. Never throws. */
  async resume(): Promise<void> {
    let s = readStored<Stored>('chat');
    if (!s || s.a !== this.o.anonymousId()) s = undefined;
    try {
      // Messages written offline before a reload: shown again and sent.
      if (this.o.mayStore()) {
        const queue = await this.outbox();
        await this.unspill(queue);
        const queued = await queue.peek(100, Infinity);
        for (const q of queued) {
          const m = q.body as Queued;
          if (m.a === this.o.anonymousId() && !this.pending.some((p) => p.clientId === q.id)) this.pending.push({ clientId: q.id, body: m.b, state: 'sending' });
        }
        if (queued.length) this.emit('change');
      }
      // A verified user on another device: continue their latest open conversation.
      if (!s && this.o.identity?.()) {
        const res = await fetch(`${this.url('/conversations')}?site=${encodeURIComponent(this.o.siteKey)}&token=${encodeURIComponent(await this.getToken())}`);
        const open = res.ok ? ((await res.json()) as { conversations: Conversation[] }).conversations.find((c) => c.status !== 'closed') : undefined;
        if (open) s = { c: open.id, a: this.o.anonymousId() };
      }
      if (s && (await this.load(s.c))) this.connect();
    } catch {
      // Offline or blocked: the panel still opens; sending will retry.
    }
    this.pump();
  }

  /** Joins the browser's one stream (once): leads it when no other tab does, else listens to the leader. */
  connect(): void {
    if (this.connecting || typeof EventSource == 'undefined') return;
    this.connecting = true;
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    if (!locks || !this.channel) return this.openStream();
    locks
      .request(`tp:v1:chat:${this.o.siteKey}`, () => new Promise<void>((release) => {
        this.releaseLock = release;
        this.openStream();
      }))
      .catch(() => this.openStream());
  }

  private openStream() {
    void this.getToken().then((token) => {
      if (!this.connecting) return this.releaseLock?.(); // reset while waiting
      const cursor = this.conversation ? `&cursor=${encodeURIComponent(`${this.conversation.id}:${this.events.at(-1)?.seq ?? 0}`)}` : '';
      const es = (this.source = new EventSource(`${this.url('/stream')}?site=${encodeURIComponent(this.o.siteKey)}&token=${encodeURIComponent(token)}${cursor}`));
      es.addEventListener('chat', (m) => {
        const e = JSON.parse((m as MessageEvent<string>).data) as ChatEvent;
        this.toTabs({ t: 'ev', e });
        this.merge([e]);
      });
      es.addEventListener('typing', (m) => {
        const t = JSON.parse((m as MessageEvent<string>).data) as { author: ChatEvent['author']; typing: boolean };
        this.toTabs({ t: 'typing', ...t });
        this.setTyping(t.author, t.typing);
      });
    }, () => {
      // No token (offline): try again when the network is back.
      this.connecting = false;
      this.releaseLock?.();
      addEventListener('online', () => this.connect(), { once: true });
    });
  }

  /** Sends a message: shown at once as "sending", kept until the server confirms, sent in order. */
  send(body: string, clientId = uuidv7()): Promise<void> {
    const text = body.trim();
    if (!text) return Promise.resolve();
    const existing = this.pending.find((p) => p.clientId === clientId);
    if (existing) existing.state = 'sending';
    else {
      this.pending.push({ clientId, body: text, state: 'sending' });
      const q: Queued = { a: this.o.anonymousId(), b: text };
      void this.outbox().then((o) => o.put([{ id: clientId, kind: 'chat', body: q, bytes: text.length * 2 + 64 }])).catch(() => {});
    }
    this.emit('change');
    return this.pump();
  }

  /** The one delivery loop: oldest "sending" message first, so messages arrive in the order written. */
  private pump(): Promise<void> {
    return (this.pumping ??= (async () => {
      for (let p; (p = this.pending.find((x) => x.state === 'sending')); ) await this.deliver(p);
    })().finally(() => (this.pumping = undefined)));
  }

  private async deliver(p: PendingMessage): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (navigator.onLine === false) await new Promise((r) => addEventListener('online', r, { once: true }));
      try {
        if (!this.conversation) {
          // One conversation however often this is retried: the clientId is its idempotency key.
          const r = await this.post<{ conversation: Conversation; events: ChatEvent[] }>('/conversations', { clientId: p.clientId, body: p.body, page: scrubUrl(location.href), locale: navigator.language, sessionId: this.o.sessionId?.() });
          this.conversation ??= r.conversation;
          if (this.o.mayStore()) writeStored('chat', { c: r.conversation.id, a: this.o.anonymousId() } satisfies Stored);
          this.merge(r.events);
          this.connect();
        } else this.merge((await this.post<{ events: ChatEvent[] }>(`/conversations/${this.conversation.id}/messages`, { clientId: p.clientId, body: p.body })).events);
        this.confirm(p.clientId);
        return;
      } catch (e) {
        const status = (e as { status?: number }).status ?? 0;
        if (!this.pending.includes(p)) return; // reset meanwhile
        // A refusal (4xx) will not change by itself: show "failed" with a retry button.
        if ((status >= 400 && status < 500 && status !== 429) || attempt >= 6) {
          p.state = 'failed';
          this.emit('change');
          return;
        }
        await new Promise((r) => setTimeout(r, backoff(attempt)));
      }
    }
  }

  retry(clientId: string): Promise<void> {
    const p = this.pending.find((x) => x.clientId === clientId);
    return p ? this.send(p.body, clientId) : Promise.resolve();
  }

  private action(name: 'typing' | 'read' | 'handoff' | 'email', body: Record<string, unknown> = {}) {
    if (!this.conversation) return Promise.resolve();
    return this.post<{ events?: ChatEvent[] }>(`/conversations/${this.conversation.id}/${name}`, body).then(
      (r) => r?.events && this.merge(r.events),
      () => {},
    );
  }

  typing(typing: boolean): Promise<unknown> {
    return this.action('typing', { typing });
  }
  handoff(): Promise<unknown> {
    return this.action('handoff');
  }
  leaveEmail(email: string): Promise<unknown> {
    return this.action('email', { email });
  }
  /** Tells the other side (and the visitor's other tabs) that the visitor has read up to the latest message — once per new message. */
  markRead(): Promise<unknown> {
    const seq = this.events.at(-1)?.seq ?? 0;
    // A receipt is itself an event (and a change): never send one for the same point twice.
    if (!this.unread || seq <= this.readSent) return Promise.resolve();
    this.readSent = seq;
    return this.action('read', { seq });
  }
  private readSent = 0;

  /**
   * Logout on a shared computer: the conversation leaves this device — this
   * tab, the others (`broadcast`), the stored pointer and the queued messages.
   */
  reset(broadcast = true): void {
    if (broadcast) this.toTabs({ t: 'reset' });
    this.source?.close();
    this.source = undefined;
    this.connecting = false;
    this.releaseLock?.();
    this.releaseLock = undefined;
    this.token = undefined;
    this.conversation = undefined;
    this.events = [];
    const gone = this.pending.map((p) => p.clientId);
    this.pending = [];
    void this.outbox().then((q) => q.remove(gone)).catch(() => {});
    writeStored('chat', undefined);
    writeStored(`${SPILL}:${this.tab}`, undefined);
    this.emit('change');
  }
}
