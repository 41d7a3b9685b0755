import type { FastifyBaseLogger } from 'fastify';
import { MISSED, type Store } from '../store/store.js';
import { eventsAfter, visibleTo, type Visitor } from './chat-store.js';
import { noteById } from '../repositories/conversation-notes.js';

/** What travels on the `tp_chat` NOTIFY channel between instances: small, never the message itself. */
export interface ChatSignal {
  /** site */
  s: string;
  /** conversation */
  c: string;
  /** its visitor's anonymous id and verified user id */
  a: string;
  u?: string | null;
  /** new stored events from seq `f` up to seq `q`… */
  f?: number;
  q?: number;
  /** …or an ephemeral typing signal */
  t?: { kind: string; name?: string; typing: boolean };
  /** …or, for agents' streams only, a workflow change (assignment, hold, labels) or a private note by id. */
  w?: 'change' | 'note';
  n?: number;
}

export const CHAT_CHANNEL = 'tp_chat';

/** An agent stream's `siteKey` for every site, those added after it opened included (the reference server has one team). */
export const ALL_SITES = '*';

interface Subscriber {
  siteKey: string;
  /** A visitor's stream sees its own conversations; an agent's sees the site's. */
  visitor?: Visitor;
  agent?: boolean;
  cursor: Map<string, number>;
  write(chunk: string): void;
  /** Serialises pulls so one subscriber never gets an event twice or out of order. */
  queue: Promise<void>;
}

/** `id:` of an SSE event: the whole resume cursor, `conversation:seq` pairs. */
export const formatCursor = (cursor: Map<string, number>): string => [...cursor].map(([c, q]) => `${c}:${q}`).join(',');

export const parseCursor = (raw: unknown): Map<string, number> | undefined => {
  if (typeof raw !== 'string' || raw === '') return undefined;
  const m = new Map<string, number>();
  for (const part of raw.split(',').slice(0, 100)) {
    const [c, q] = part.split(':');
    // Digits only, at most a seq's range: `1e30` would pass Number.isInteger and overflow the query.
    if (c && q && /^\d{1,9}$/.test(q)) m.set(c, Number(q));
  }
  return m;
};

/**
 * One per instance: SSE subscribers here, signals from every instance through
 * LISTEN. On a signal a subscriber pulls `seq > cursor` from the store — the
 * same query serves catch-up after a reconnect and live delivery, which is
 * why nothing is lost and nothing comes twice.
 */
export class ChatHub {
  private readonly subs = new Set<Subscriber>();
  private unlisten?: () => Promise<void>;

  constructor(
    private readonly store: Store,
    private readonly log: FastifyBaseLogger,
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.store.listen(CHAT_CHANNEL, (payload) => {
      if (payload === MISSED) return this.onMissed();
      try {
        this.onSignal(JSON.parse(payload) as ChatSignal);
      } catch (err) {
        this.log.warn({ err }, 'bad chat signal');
      }
    });
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
  }

  /** Tells every instance (this one included) about new events or typing. */
  signal(s: ChatSignal): Promise<void> {
    return this.store.notify(CHAT_CHANNEL, JSON.stringify(s));
  }

  get size(): number {
    return this.subs.size;
  }

  /** Adds a stream; with a cursor, first sends what it missed. Returns the remover. */
  subscribe(sub: Omit<Subscriber, 'queue'>, catchUp: string[]): () => void {
    const s: Subscriber = { ...sub, queue: Promise.resolve() };
    this.subs.add(s);
    for (const c of catchUp) this.pull(s, c);
    return () => this.subs.delete(s);
  }

  /**
   * Signals were lost (the store's listening connection dropped): every
   * stream pulls what it may have missed of its conversations — the same
   * `seq > cursor` query, so nothing comes twice — and consoles re-read their list.
   */
  private onMissed() {
    for (const s of this.subs) {
      if (s.agent) this.agentOnly(s, { s: s.siteKey, c: '', a: '', w: 'change' });
      for (const c of s.cursor.keys()) this.pull(s, c);
    }
  }

  private onSignal(sig: ChatSignal) {
    for (const s of this.subs) {
      if (s.siteKey !== sig.s && !(s.agent && s.siteKey === ALL_SITES)) continue;
      if (sig.w) {
        // Agents' business: a visitor's stream never hears of it, not even that something changed.
        if (s.agent) this.agentOnly(s, sig);
        continue;
      }
      if (s.visitor && !visibleTo({ site_key: sig.s, anonymous_id: sig.a, user_id: sig.u ?? null }, s.visitor)) continue;
      if (sig.t) {
        // Typing is ephemeral: no id, not replayed; never echoed to its author's side.
        if ((s.agent && sig.t.kind === 'agent') || (s.visitor && sig.t.kind === 'visitor')) continue;
        s.write(`event: typing\ndata: ${JSON.stringify({ conversationId: sig.c, author: { kind: sig.t.kind, ...(sig.t.name ? { name: sig.t.name } : {}) }, typing: sig.t.typing })}\n\n`);
        continue;
      }
      // An agent console learns a conversation's history over REST; its stream starts at the new event.
      if (s.agent && !s.cursor.has(sig.c) && sig.f) s.cursor.set(sig.c, sig.f - 1);
      this.pull(s, sig.c);
    }
  }

  /** `event: inbox` (re-read the list) or `event: note` (the note itself, read from the store: the signal carries only its id). */
  private agentOnly(s: Subscriber, sig: ChatSignal) {
    s.queue = s.queue
      .then(async () => {
        if (!this.subs.has(s) || !s.agent) return;
        if (sig.w === 'note' && sig.n !== undefined) {
          const note = await noteById(this.store, sig.n);
          if (note) s.write(`event: note\ndata: ${JSON.stringify(note)}\n\n`);
        } else s.write(`event: inbox\ndata: ${JSON.stringify({ conversationId: sig.c })}\n\n`);
      })
      .catch((err) => this.log.warn({ err }, 'chat agent signal failed'));
  }

  private pull(s: Subscriber, conversationId: string) {
    s.queue = s.queue
      .then(async () => {
        if (!this.subs.has(s)) return;
        const events = await eventsAfter(this.store, conversationId, s.cursor.get(conversationId) ?? 0);
        for (const e of events) {
          if (e.seq <= (s.cursor.get(conversationId) ?? 0)) continue;
          s.cursor.set(conversationId, e.seq);
          s.write(`id: ${formatCursor(s.cursor)}\nevent: chat\ndata: ${JSON.stringify(e)}\n\n`);
        }
      })
      .catch((err) => this.log.warn({ err }, 'chat pull failed'));
  }
}
