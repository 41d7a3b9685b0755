import type { ChatEvent, Conversation } from '../protocol/chat.js';
import type { ConversationStatus } from '../protocol/constants.js';
import { Emitter } from '../lib/emitter.js';
import { readStored, writeStored } from '../lib/storage.js';
import { uuidv7 } from '../lib/uuidv7.js';
import { backoff } from '../lib/backoff.js';

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
}

export interface ChatClientEvents extends Record<string, unknown[]> {
  /** Anything visible changed: events, pending messages, status, typing. */
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

/**
 * The visitor's side of the chat protocol, framework-free. Sends are
 * optimistic and idempotent (a clientId per message, retried until the server
 * confirms); the stream is the browser's EventSource, whose automatic
 * `Last-Event-ID` on reconnect makes the server send exactly what was missed.
 */
export class ChatClient extends Emitter<ChatClientEvents> {
  conversation: Conversation | undefined;
  events: ChatEvent[] = [];
  pending: PendingMessage[] = [];
  agentTyping: ChatEvent['author'] | undefined;
  private token: Promise<string> | undefined;
  private source: EventSource | undefined;
  private starting: Promise<void> | undefined;

  constructor(private readonly o: ChatClientOptions) {
    super();
  }

  get status(): ConversationStatus | undefined {
    return this.conversation?.status;
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

  /** Merges events by seq: the POST answer and the stream may both bring one. */
  private merge(events: ChatEvent[]) {
    for (const e of events) {
      if (e.conversationId !== this.conversation?.id || this.events.some((x) => x.seq === e.seq)) continue;
      this.events.push(e);
      if (e.kind === 'status') {
        this.conversation = { ...this.conversation, status: e.data!.status as ConversationStatus };
        if (e.data!.status === 'closed') this.emit('closed', e.conversationId);
        if (e.data!.status === 'pending') this.emit('handoff', e.conversationId);
      }
      if (e.clientId) this.pending = this.pending.filter((p) => p.clientId !== e.clientId && `${p.clientId}:first` !== e.clientId);
      if (e.kind === 'message' && e.author.kind !== 'visitor') {
        this.agentTyping = undefined;
        this.emit('message', e);
      }
    }
    this.events.sort((a, b) => a.seq - b.seq);
    this.emit('change');
  }

  /** Resumes the conversation remembered on this device, if any. Never throws. */
  async resume(): Promise<void> {
    let s = readStored<Stored>('chat');
    if (!s || s.a !== this.o.anonymousId()) s = undefined;
    try {
      // A verified user on another device: continue their latest open conversation.
      if (!s && this.o.identity?.()) {
        const res = await fetch(`${this.url('/conversations')}?site=${encodeURIComponent(this.o.siteKey)}&token=${encodeURIComponent(await this.getToken())}`);
        const open = res.ok ? ((await res.json()) as { conversations: Conversation[] }).conversations.find((c) => c.status !== 'closed') : undefined;
        if (open) s = { c: open.id, a: this.o.anonymousId() };
      }
      if (!s) return;
      const res = await fetch(`${this.url(`/conversations/${s.c}/events`)}?site=${encodeURIComponent(this.o.siteKey)}&token=${encodeURIComponent(await this.getToken())}&after=0`);
      if (!res.ok) {
        if (res.status === 404) writeStored('chat', undefined);
        return;
      }
      const { events } = (await res.json()) as { events: ChatEvent[] };
      const last = events.filter((e) => e.kind === 'status').at(-1);
      this.conversation = { id: s.c, status: (last?.data?.status as ConversationStatus) ?? 'bot', channel: 'web', lastSeq: events.at(-1)?.seq ?? 0, createdAt: events[0]?.createdAt ?? new Date().toISOString() };
      this.merge(events);
      this.connect();
    } catch {
      // Offline or blocked: the panel still opens; sending will retry.
    }
  }

  /** Opens the stream (once): every event of the visitor's conversations from now on. */
  connect(): void {
    if (this.source || typeof EventSource == 'undefined') return;
    void this.getToken().then((token) => {
      const cursor = this.conversation ? `&cursor=${encodeURIComponent(`${this.conversation.id}:${this.events.at(-1)?.seq ?? 0}`)}` : '';
      const es = (this.source = new EventSource(`${this.url('/stream')}?site=${encodeURIComponent(this.o.siteKey)}&token=${encodeURIComponent(token)}${cursor}`));
      es.addEventListener('chat', (m) => this.merge([JSON.parse((m as MessageEvent<string>).data) as ChatEvent]));
      es.addEventListener('typing', (m) => {
        const t = JSON.parse((m as MessageEvent<string>).data) as { author: ChatEvent['author']; typing: boolean };
        this.agentTyping = t.typing ? t.author : undefined;
        this.emit('typing', t.author, t.typing);
        this.emit('change');
      });
    }, () => {});
  }

  /** Sends a message: shown at once as "sending", confirmed by the server, retried on failure. */
  send(body: string, clientId = uuidv7()): Promise<void> {
    const text = body.trim();
    if (!text) return Promise.resolve();
    if (!this.pending.some((p) => p.clientId === clientId)) this.pending.push({ clientId, body: text, state: 'sending' });
    else this.pending = this.pending.map((p) => (p.clientId === clientId ? { ...p, state: 'sending' } : p));
    this.emit('change');
    return this.deliver(clientId, text, 0);
  }

  private async deliver(clientId: string, body: string, attempt: number): Promise<void> {
    try {
      if (!this.conversation) {
        // One conversation however often this is retried: the clientId is its idempotency key.
        await (this.starting ??= (async () => {
          const r = await this.post<{ conversation: Conversation; events: ChatEvent[] }>('/conversations', { clientId, body, page: location.href, locale: navigator.language });
          this.conversation = r.conversation;
          if (this.o.mayStore()) writeStored('chat', { c: r.conversation.id, a: this.o.anonymousId() } satisfies Stored);
          this.merge(r.events);
          this.connect();
        })().finally(() => (this.starting = undefined)));
        return;
      }
      const r = await this.post<{ events: ChatEvent[] }>(`/conversations/${this.conversation.id}/messages`, { clientId, body });
      this.merge(r.events);
    } catch (e) {
      const status = (e as { status?: number }).status ?? 0;
      // A refusal (4xx) will not change by itself: show "failed" with a retry button.
      if ((status >= 400 && status < 500 && status !== 429) || attempt >= 4) {
        this.pending = this.pending.map((p) => (p.clientId === clientId ? { ...p, state: 'failed' } : p));
        this.emit('change');
        return;
      }
      await new Promise((r) => setTimeout(r, backoff(attempt)));
      if (navigator.onLine === false) await new Promise((r) => addEventListener('online', r, { once: true }));
      return this.deliver(clientId, body, attempt + 1);
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
  private lastRead = 0;
  /** Tells the other side the visitor has read up to the latest message — once per new message (a read receipt is itself an event, and must not cause another). */
  markRead(): Promise<unknown> {
    const seq = this.events.filter((e) => e.kind === 'message').at(-1)?.seq ?? 0;
    if (seq <= this.lastRead) return Promise.resolve();
    this.lastRead = seq;
    return this.action('read', { seq });
  }

  /** Logout on a shared computer: the conversation leaves this device. */
  reset(): void {
    this.source?.close();
    this.source = undefined;
    this.token = undefined;
    this.conversation = undefined;
    this.events = [];
    this.pending = [];
    writeStored('chat', undefined);
    this.emit('change');
  }
}
