import { LitElement, css, html, nothing } from 'lit';
import type { ChatEvent } from 'touchpoint/protocol';
import { api, type ConversationSummary } from './api.js';
import { replayLink } from './replay-link.js';
import type { CustomerProfile } from '../customers/customer-profile.js';
import { when } from './format-time.js';
import { messageAttachments } from './message-attachments.js';

const FILTERS = [
  ['pending', 'Waiting'],
  ['open', 'Open'],
  ['bot', 'With the bot'],
  ['closed', 'Closed'],
] as const;

/**
 * The agent inbox: conversations by status, one conversation's transcript with
 * a composer, the visitor's basics beside it, all live through the agent
 * stream. Several agents see the same state: every change comes from the server.
 */
export class TpConsoleInbox extends LitElement {
  static override styles = css`
    :host { display: grid; grid-template-columns: 20rem 1fr 16rem; height: calc(100vh - 3rem); }
    @media (max-width: 60rem) { :host { grid-template-columns: 1fr; height: auto; } }
    nav, .conv, aside { overflow: auto; border-inline-end: 1px solid #d0d7de; background: #fff; }
    .tabs { display: flex; flex-wrap: wrap; gap: 0.25rem; padding: 0.5rem; border-bottom: 1px solid #d0d7de; }
    .tabs button { font: inherit; border: 1px solid #d0d7de; background: #fff; border-radius: 1rem; padding: 0.25rem 0.75rem; cursor: pointer; }
    .tabs button[aria-pressed='true'] { background: #0b6e4f; color: #fff; border-color: #0b6e4f; }
    ul { list-style: none; margin: 0; padding: 0; }
    li button { all: unset; box-sizing: border-box; display: block; width: 100%; padding: 0.75rem; border-bottom: 1px solid #eaeef2; cursor: pointer; }
    li button:focus-visible { outline: 3px solid #0969da; outline-offset: -3px; }
    li button[aria-current='true'] { background: #e6f4ee; }
    .preview { display: block; color: #57606a; font-size: 0.85rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .conv { display: flex; flex-direction: column; }
    header { padding: 0.75rem 1rem; border-bottom: 1px solid #d0d7de; display: flex; gap: 1rem; align-items: center; }
    header h2 { font-size: 1rem; margin: 0; flex: 1; }
    .log { flex: 1; overflow: auto; padding: 1rem; display: flex; flex-direction: column; gap: 0.5rem; }
    .msg { max-width: 75%; padding: 0.5rem 0.75rem; border-radius: 0.75rem; background: #eef1f4; overflow-wrap: anywhere; }
    .msg .files { list-style: none; margin: 0.35rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem; }
    .msg .files img { display: block; max-inline-size: 8rem; max-block-size: 6rem; border-radius: 0.25rem; }
    /* Visitors' words run in their own direction (dir="auto" isolates them): Hebrew reads right to left, English in it keeps its punctuation. */
    .text { white-space: pre-wrap; display: block; text-align: start; }
    bdi { unicode-bidi: isolate; }
    .msg.agent { align-self: flex-end; background: #0b6e4f; color: #fff; }
    .msg.system, .note { align-self: center; background: none; color: #57606a; font-size: 0.85rem; }
    .who { display: block; font-size: 0.75rem; font-weight: 600; }
    form { display: flex; gap: 0.5rem; padding: 0.75rem; border-top: 1px solid #d0d7de; }
    textarea { flex: 1; font: inherit; font-size: 16px; padding: 0.5rem; border: 1px solid #8c959f; border-radius: 6px; resize: vertical; }
    .primary, .secondary { font: inherit; border-radius: 6px; padding: 0.5rem 1rem; cursor: pointer; font-weight: 600; }
    .primary { border: 0; background: #0b6e4f; color: #fff; }
    .secondary { border: 1px solid #8c959f; background: #fff; }
    aside { padding: 1rem; font-size: 0.9rem; }
    dt { font-weight: 600; margin-top: 0.5rem; }
    dd { margin: 0; overflow-wrap: anywhere; }
    h3 { font-size: 0.9rem; margin: 1rem 0 0.25rem; }
    ul.facts { padding-inline-start: 1rem; margin: 0; }
    ul.facts .note { color: #57606a; font-size: 0.8rem; }
    .typing { min-height: 1.2rem; margin: 0 1rem; font-size: 0.8rem; color: #57606a; }
    .empty { padding: 2rem; color: #57606a; }
    .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  `;

  static override properties = {
    _filter: { state: true },
    _list: { state: true },
    _selected: { state: true },
    _events: { state: true },
    _typing: { state: true },
    _profile: { state: true },
  };
  declare private _filter: ConversationSummary['status'];
  declare private _list: ConversationSummary[];
  declare private _selected: ConversationSummary | undefined;
  declare private _events: ChatEvent[];
  declare private _typing: string;
  /** The selected conversation's customer: recent pages, past conversations, survey answers. */
  declare private _profile: CustomerProfile | undefined;
  private _source: EventSource | undefined;
  private _typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this._filter = 'pending';
    this._list = [];
    this._events = [];
    this._typing = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._refresh();
    // One stream for the whole inbox; it resumes by itself after a drop, and a refresh re-syncs the list.
    this._source = new EventSource('/v1/agent/stream');
    this._source.addEventListener('chat', (m) => this._onEvent(JSON.parse((m as MessageEvent<string>).data) as ChatEvent));
    this._source.addEventListener('typing', (m) => {
      const t = JSON.parse((m as MessageEvent<string>).data) as { conversationId: string; author: { kind: string }; typing: boolean };
      if (t.conversationId !== this._selected?.id || t.author.kind !== 'visitor') return;
      this._typing = t.typing ? 'Visitor is typing…' : '';
      clearTimeout(this._typingTimer);
      this._typingTimer = setTimeout(() => (this._typing = ''), 6_000);
    });
    this._source.addEventListener('ready', () => void this._refresh());
    // Messages that arrived while the console was in the background are read when the agent comes back.
    document.addEventListener('visibilitychange', this._onVisible);
  }

  private readonly _onVisible = () => this._markRead();

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this._onVisible);
    this._source?.close();
  }

  private async _refresh() {
    this._list = (await api<{ conversations: ConversationSummary[] }>(`/conversations?status=${this._filter}`)).conversations;
  }

  private _onEvent(e: ChatEvent) {
    if (e.conversationId === this._selected?.id && !this._events.some((x) => x.seq === e.seq)) {
      this._events = [...this._events, e].sort((a, b) => a.seq - b.seq);
      if (e.kind === 'status') this._selected = { ...this._selected, status: e.data!.status as ConversationSummary['status'] };
      if (e.kind === 'message' && e.author.kind === 'visitor') this._typing = '';
      this._markRead();
    }
    if (e.kind !== 'read') void this._refresh();
  }

  private _readSent = new Map<string, number>();
  /** The open conversation's visitor messages count as read: the visitor sees "Seen". Once per new message. */
  private _markRead() {
    const c = this._selected;
    const last = this._events.filter((e) => e.kind === 'message' && e.author.kind === 'visitor').at(-1);
    if (!c || !last || document.visibilityState !== 'visible' || (this._readSent.get(c.id) ?? 0) >= last.seq) return;
    this._readSent.set(c.id, last.seq);
    void api(`/conversations/${c.id}/read`, { seq: last.seq }).catch(() => {});
  }

  private async _open(c: ConversationSummary) {
    this._selected = c;
    this._typing = '';
    this._profile = undefined;
    void api<CustomerProfile>(`/sites/${encodeURIComponent(c.siteKey)}/customers/${encodeURIComponent(c.userId ?? c.anonymousId)}`).then(
      (p) => this._selected?.id === c.id && (this._profile = p),
      () => {},
    );
    const r = await api<{ events: ChatEvent[] }>(`/conversations/${c.id}`);
    if (this._selected?.id === c.id) {
      this._events = r.events;
      this._markRead();
    }
    void this.updateComplete.then(() => this.renderRoot.querySelector('textarea')?.focus());
  }

  private async _reply(e: Event) {
    e.preventDefault();
    const box = this.renderRoot.querySelector('textarea')!;
    const body = box.value.trim();
    if (!body || !this._selected) return;
    box.value = '';
    const r = await api<{ events: ChatEvent[] }>(`/conversations/${this._selected.id}/messages`, { clientId: crypto.randomUUID(), body });
    r.events.forEach((x) => this._onEvent(x));
  }

  private _who(e: ChatEvent) {
    return e.author.kind === 'visitor' ? 'Visitor' : e.author.kind === 'bot' ? (e.author.name ?? 'Bot') : (e.author.name ?? e.author.kind);
  }

  override updated(): void {
    const log = this.renderRoot.querySelector('.log');
    if (log) log.scrollTop = log.scrollHeight;
  }

  /** What the agent should know before answering: where the visitor came from and has been, what they said before. */
  private _visitor(c: ConversationSummary) {
    const p = this._profile;
    if (!p) return nothing;
    const pages = p.timeline.filter((i) => i.kind === 'page').slice(0, 5);
    const past = p.timeline.filter((i) => i.kind === 'conversation' && i.conversationId !== c.id).slice(0, 5);
    const answers = p.timeline.filter((i) => i.kind === 'survey').slice(0, 5);
    return html`<dl>
        <dt>First touch</dt>
        <dd>${p.firstTouch?.channel ?? '—'}${p.firstTouch?.source ? ` (${p.firstTouch.source})` : ''}</dd>
        <dt>Last touch</dt>
        <dd>${p.lastTouch?.channel ?? '—'}${p.lastTouch?.source ? ` (${p.lastTouch.source})` : ''}</dd>
        <dt>${p.online ? 'On the site now' : 'Last seen'}</dt>
        <dd>${p.online ? (pages[0]?.label ?? '') : p.lastSeen ? when(p.lastSeen) : '—'}</dd>
      </dl>
      <h3>Recent pages</h3>
      <ul class="facts">${pages.length ? pages.map((i) => html`<li>${i.label} <span class="note">${when(i.at)}</span></li>`) : html`<li class="note">None</li>`}</ul>
      <h3>Past conversations</h3>
      <ul class="facts">${past.length ? past.map((i) => html`<li>${i.detail ?? i.label} <span class="note">${when(i.at)}</span></li>`) : html`<li class="note">None</li>`}</ul>
      <h3>Survey answers</h3>
      <ul class="facts">
        ${answers.length ? answers.map((i) => html`<li>${i.label}: <strong>${typeof i.value === 'string' ? i.value : JSON.stringify(i.value)}</strong></li>`) : html`<li class="note">None</li>`}
      </ul>
      <p><a href=${`/console/customers/${encodeURIComponent(p.userId ?? p.anonymousIds[0]!)}`}>Full profile</a></p>`;
  }

  override render() {
    const c = this._selected;
    return html`
      <h1 class="sr-only">Inbox</h1>
      <nav aria-label="Conversations">
        <div class="tabs" role="group" aria-label="Show">
          ${FILTERS.map(
            ([id, label]) =>
              html`<button type="button" aria-pressed=${this._filter === id ? 'true' : 'false'} @click=${() => ((this._filter = id), void this._refresh())}>${label}</button>`,
          )}
        </div>
        ${this._list.length
          ? html`<ul>
              ${this._list.map(
                (x) => html`<li>
                  <button type="button" aria-current=${x.id === c?.id ? 'true' : 'false'} @click=${() => this._open(x)}>
                    <strong><bdi>${x.visitorEmail ?? x.userId ?? `Visitor ${x.anonymousId.slice(-6)}`}</bdi></strong> · ${x.channel}
                    <span class="preview" dir="auto">${x.lastMessage ?? ''}</span>
                  </button>
                </li>`,
              )}
            </ul>`
          : html`<p class="empty">No conversations here.</p>`}
      </nav>
      <section class="conv" aria-label="Conversation">
        ${c
          ? html`<header>
                <h2>Conversation · ${c.status}</h2>
                ${c.status !== 'closed' ? html`<button type="button" class="secondary" @click=${() => api(`/conversations/${c.id}/close`, {}).then((r) => (r as { events: ChatEvent[] }).events.forEach((x) => this._onEvent(x)))}>Close</button>` : nothing}
              </header>
              <div class="log" role="log" aria-live="polite" aria-label="Transcript">
                ${this._events.map((e) =>
                  e.kind === 'message'
                    ? html`<div class="msg ${e.author.kind}"><bdi class="who">${this._who(e)}</bdi><span class="text" dir="auto">${e.body}</span>${messageAttachments(e)}</div>`
                    : e.kind === 'handoff'
                      ? html`<p class="note">Handed off by the bot</p>`
                      : e.kind === 'email'
                        ? html`<p class="note">Left email <bdi>${String(e.data?.email)}</bdi></p>`
                        : nothing,
                )}
              </div>
              <p class="typing" role="status">${this._typing}</p>
              <form @submit=${this._reply}>
                <label for="reply" class="sr-only">Reply</label>
                <textarea id="reply" rows="2" @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && !e.shiftKey && !e.isComposing && this._reply(e)}></textarea>
                <button class="primary">Send</button>
              </form>`
          : html`<p class="empty">Choose a conversation.</p>`}
      </section>
      <aside aria-label="Visitor">
        ${c
          ? html`<h2>Visitor</h2>
              <dl>
                <dt>Identity</dt>
                <dd>${(c.userId ?? this._profile?.userId) ? html`<bdi>${c.userId ?? this._profile?.userId}</bdi> <strong>(verified)</strong>` : 'Anonymous'}</dd>
                <dt>Anonymous id</dt>
                <dd>${c.anonymousId}</dd>
                ${c.visitorEmail ? html`<dt>Email</dt><dd><bdi>${c.visitorEmail}</bdi></dd>` : nothing}
                <dt>Started on</dt>
                <dd><bdi>${c.page ?? '—'}</bdi></dd>
                <dt>Channel</dt>
                <dd>${c.channel}</dd>
              </dl>
              ${c.sessionId ? html`<p><a href=${replayLink(c.sessionId, Date.parse(c.updatedAt))}>Watch the session replay</a></p>` : nothing}
              ${this._visitor(c)}`
          : nothing}
      </aside>
    `;
  }
}
customElements.define('tp-console-inbox', TpConsoleInbox);
