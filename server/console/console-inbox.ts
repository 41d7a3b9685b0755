import { LitElement, css, html, nothing } from 'lit';
import type { ChatEvent } from 'touchpoint/protocol';
import { api, type ConversationSummary } from './api.js';
import { replayLink } from './replay-link.js';
import type { CustomerProfile } from '../customers/customer-profile.js';
import type { ConversationNote } from '../repositories/conversation-notes.js';
import type { ViewCounts } from '../repositories/conversation-summaries.js';
import type { Team } from '../repositories/teams.js';
import { messageAttachments } from './message-attachments.js';
import { authorWords, messageTime, stateLine } from './inbox-words.js';
import type { ComposeDetail } from './inbox-composer.js';
import type { InboxAgent } from './inbox-toolbar.js';
import './inbox-composer.js';
import './composer-attachments.js';
import { agentStream, type AgentStream } from './agent-stream.js';
import { agentStoppedTyping, agentTyping } from './agent-typing.js';
import './inbox-context.js';
import './inbox-toolbar.js';
import { errorState } from './error-state.js';
import { listSites } from './current-site.js';

/** Whose conversations: the views, each with its count. */
const VIEWS = [
  ['mine', 'Mine'],
  ['unassigned', 'Unassigned'],
  ['team', 'My teams'],
  ['all', 'All'],
] as const;
type View = (typeof VIEWS)[number][0];

/** Which: "Waiting" is handed to people and not answered yet (the wire's pending); the rest are the workflow's states. */
const FILTERS = [
  ['waiting', 'Waiting', 'status=pending'],
  ['open', 'Open', 'state=open'],
  ['pending', 'On hold', 'state=pending'],
  ['snoozed', 'Snoozed', 'state=snoozed'],
  ['bot', 'With the bot', 'state=bot'],
  ['resolved', 'Resolved', 'state=resolved'],
] as const;
type Filter = (typeof FILTERS)[number][0];

/** A transcript line: an event everyone in the conversation sees, or a private note placed after the event it followed. */
type Line = { event: ChatEvent; note?: undefined } | { note: ConversationNote; event?: undefined };

/**
 * The agent inbox: views (mine, unassigned, my teams, all) with counts, a
 * state filter, search and a label filter; one conversation's transcript
 * (times in the agent's zone, private notes among the messages) with its
 * workflow toolbar (tp-inbox-toolbar) and composer (tp-inbox-composer: replies,
 * notes, canned replies); the visitor's basics beside it — all live through
 * the agent stream. Several agents see the same state: every change comes from the server.
 */
export class TpConsoleInbox extends LitElement {
  static override styles = css`
    :host { display: grid; grid-template-columns: 20rem 1fr 16rem; height: calc(100vh - 3rem); }
    @media (max-width: 60rem) { :host { grid-template-columns: 1fr; height: auto; } }
    /* Phones: the list and the conversation are two screens; the conversation fills the dynamic viewport, its composer last (above the keyboard). */
    .back { display: none; }
    @media (max-width: 48rem) {
      :host { display: block; }
      :host([data-screen='list']) .conv, :host([data-screen='list']) aside, :host([data-screen='conversation']) nav { display: none; }
      .conv { height: calc(100dvh - 3rem); }
      .back { display: inline-block; }
      header { flex-wrap: wrap; gap: 0.5rem; }
    }
    nav, .conv, aside { overflow: auto; border-inline-end: 1px solid #d0d7de; background: #fff; }
    .tabs { display: flex; flex-wrap: wrap; gap: 0.25rem; padding: 0.5rem; border-bottom: 1px solid #d0d7de; }
    .tabs button { font: inherit; border: 1px solid #d0d7de; background: #fff; border-radius: 1rem; padding: 0.25rem 0.75rem; cursor: pointer; }
    .tabs button[aria-pressed='true'] { background: #0b6e4f; color: #fff; border-color: #0b6e4f; }
    .tabs.views button[aria-pressed='true'] { background: #24292f; border-color: #24292f; }
    .team-pick { display: flex; gap: 0.5rem; align-items: center; padding: 0.5rem; border-bottom: 1px solid #d0d7de; font-size: 0.9rem; }
    .team-pick select { flex: 1; min-width: 0; font: inherit; padding: 0.25rem 0.4rem; border: 1px solid #8c959f; border-radius: 6px; background: #fff; }
    .search { display: flex; gap: 0.25rem; padding: 0 0.5rem 0.5rem; border-bottom: 1px solid #d0d7de; }
    .search input { flex: 1; min-width: 0; font: inherit; padding: 0.3rem 0.5rem; border: 1px solid #8c959f; border-radius: 6px; }
    .filter-label { margin: 0.25rem 0.5rem; font-size: 0.85rem; }
    .filter-label button { font: inherit; border: 0; background: none; cursor: pointer; text-decoration: underline; }
    .meta { display: flex; flex-wrap: wrap; gap: 0.25rem 0.5rem; font-size: 0.75rem; color: #57606a; margin-top: 0.2rem; }
    .tag { background: #ddf4ff; color: #0a3069; border-radius: 1rem; padding: 0 0.45rem; }
    .breach { background: #ffebe9; color: #82071e; border-radius: 1rem; padding: 0 0.45rem; font-weight: 600; }
    li button.overdue { box-shadow: inset 4px 0 0 #cf222e; }
    /* No opacity: dimmed, the system lines' grey fell below 4.5:1 (axe color-contrast). */
    time { display: block; font-size: 0.7rem; margin-top: 0.15rem; }
    .msg.note { align-self: stretch; max-width: none; background: #fff8c5; border: 1px dashed #bf8700; color: #3b2300; font-size: 0.9rem; }
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
    _view: { state: true },
    _filter: { state: true },
    _q: { state: true },
    _label: { state: true },
    _counts: { state: true },
    _notes: { state: true },
    _agents: { state: true },
    _teams: { state: true },
    _me: { state: true },
    _list: { state: true },
    _selected: { state: true },
    _events: { state: true },
    _typing: { state: true },
    _profile: { state: true },
    _team: { state: true },
    _allTeams: { state: true },
    _listError: { state: true },
    _convError: { state: true },
  };
  declare private _view: View;
  declare private _filter: Filter | undefined;
  declare private _q: string;
  declare private _label: string | undefined;
  declare private _counts: ViewCounts | undefined;
  declare private _notes: ConversationNote[];
  declare private _agents: InboxAgent[];
  /** The open conversation's site's teams. */
  declare private _teams: Team[];
  declare private _me: { id: string; name: string; email: string } | undefined;
  declare private _list: ConversationSummary[];
  declare private _selected: ConversationSummary | undefined;
  declare private _events: ChatEvent[];
  declare private _typing: string;
  /** The selected conversation's customer: recent pages, past conversations, survey answers. */
  declare private _profile: CustomerProfile | undefined;
  /** The team view's team (a lead looks at any team's queue); none: the agent's own teams. */
  declare private _team: string | undefined;
  /** Every team of every site the agent sees, for the team view's picker. */
  declare private _allTeams: (Team & { siteName: string })[];
  /** The list or the open conversation could not be read: said in words with a Retry (error-state.ts), never the raw message. */
  declare private _listError: string | undefined;
  declare private _convError: string | undefined;
  private _source: AgentStream | undefined;
  private _typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this._view = 'all';
    this._filter = 'open';
    this._q = '';
    this._notes = [];
    this._agents = [];
    this._teams = [];
    this._allTeams = [];
    this._list = [];
    this._events = [];
    this._typing = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._refresh();
    // One stream for the whole inbox; it resumes by itself after a drop, and a refresh re-syncs the list.
    this._source = agentStream();
    this._source.addEventListener('chat', (m) => this._onEvent(JSON.parse((m as MessageEvent<string>).data) as ChatEvent));
    this._source.addEventListener('typing', (m) => {
      const t = JSON.parse((m as MessageEvent<string>).data) as { conversationId: string; author: { kind: string }; typing: boolean };
      if (t.conversationId !== this._selected?.id || t.author.kind !== 'visitor') return;
      this._typing = t.typing ? 'Visitor is typing…' : '';
      clearTimeout(this._typingTimer);
      this._typingTimer = setTimeout(() => (this._typing = ''), 6_000);
    });
    // A stream (re)opened: its cursor brings back the events it missed, never the notes (they have no seq), so the open conversation's are read again.
    this._source.addEventListener('ready', () => void this._refresh().then(() => this._resyncNotes()));
    // Agents only: a workflow change (assignment, state, labels) re-reads the list; a note joins its transcript.
    this._source.addEventListener('inbox', (m) => {
      const { conversationId } = JSON.parse((m as MessageEvent<string>).data) as { conversationId: string };
      void this._refresh().then(() => {
        if (conversationId === this._selected?.id) void this._reselect();
        // None named: the server lost its signals for a while (its store's listener reconnected), notes written meanwhile included.
        else if (!conversationId) void this._reselect().then(() => this._resyncNotes());
      });
    });
    this._source.addEventListener('note', (m) => this._onNote(JSON.parse((m as MessageEvent<string>).data) as ConversationNote));
    void api<{ agent: { id: string; name: string; email: string } }>('/me').then((r) => (this._me = r.agent), () => {});
    void api<{ agents: InboxAgent[] }>('/inbox/agents').then((r) => (this._agents = r.agents), () => {});
    void this._loadTeams();
    // Messages that arrived while the console was in the background are read when the agent comes back.
    document.addEventListener('visibilitychange', this._onVisible);
  }

  private readonly _onVisible = () => this._markRead();

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this._onVisible);
    this._source?.close();
  }

  /** The list's query: view, state filter, search words, label. */
  private _query() {
    const p = new URLSearchParams({ view: this._view });
    const f = FILTERS.find(([id]) => id === this._filter);
    if (f) {
      const [k, v] = f[2].split('=') as [string, string];
      p.set(k, v);
    }
    if (this._view === 'team' && this._team) p.set('team', this._team);
    if (this._q.trim()) p.set('q', this._q.trim());
    if (this._label) p.set('label', this._label);
    return p.toString();
  }

  private async _refresh() {
    try {
      const r = await api<{ conversations: ConversationSummary[]; counts: ViewCounts }>(`/conversations?${this._query()}`);
      this._list = r.conversations;
      this._counts = r.counts;
      this._listError = undefined;
    } catch (e) {
      this._listError = (e as Error).message;
    }
  }

  /** The team view's choices: each site's teams (named with their site when there are several). */
  private async _loadTeams() {
    try {
      const sites = await listSites();
      const teams = await Promise.all(sites.map(async (s) => (await api<{ teams: Team[] }>(`/sites/${encodeURIComponent(s.key)}/teams`)).teams.map((t) => ({ ...t, siteName: s.name }))));
      this._allTeams = teams.flat();
    } catch {
      // Without the list the team view still shows the agent's own teams.
    }
  }

  /** The open conversation's row again (its state, assignee or labels changed), from the list or, filtered out of it, from the server. */
  private async _reselect() {
    const c = this._selected;
    if (!c) return;
    const row = this._list.find((x) => x.id === c.id) ?? (await api<{ conversations: ConversationSummary[] }>(`/conversations?view=all&site=${encodeURIComponent(c.siteKey)}`)).conversations.find((x) => x.id === c.id);
    if (row && this._selected?.id === c.id) this._selected = row;
  }

  /** The open conversation's notes read again, merged with those shown (by id: one heard live meanwhile is not doubled). */
  private async _resyncNotes() {
    const c = this._selected;
    if (!c) return;
    const r = await api<{ notes: ConversationNote[] }>(`/conversations/${c.id}`).catch(() => undefined);
    for (const n of r?.notes ?? []) this._onNote(n);
  }

  private _onNote(n: ConversationNote) {
    if (n.conversationId === this._selected?.id && !this._notes.some((x) => x.id === n.id)) this._notes = [...this._notes, n];
  }

  /** Events and notes in one order: a note after the event whose seq it followed, notes among themselves as written. */
  private _lines(): Line[] {
    const lines: Line[] = [];
    const notes = [...this._notes].sort((a, b) => a.afterSeq - b.afterSeq || a.id - b.id);
    let i = 0;
    for (const e of this._events) {
      while (i < notes.length && notes[i]!.afterSeq < e.seq) lines.push({ note: notes[i++]! });
      lines.push({ event: e });
    }
    while (i < notes.length) lines.push({ note: notes[i++]! });
    return lines;
  }

  private _onEvent(e: ChatEvent) {
    if (e.conversationId === this._selected?.id && !this._events.some((x) => x.seq === e.seq)) {
      this._events = [...this._events, e].sort((a, b) => a.seq - b.seq);
      if (e.kind === 'message' && e.author.kind === 'visitor') this._typing = '';
      this._markRead();
    }
    // Any new event may move a conversation (a customer's message ends a snooze): the list, and the open one's row, again.
    if (e.kind !== 'read') void this._refresh().then(() => this._reselect());
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
    agentStoppedTyping();
    this._selected = c;
    this._typing = '';
    this._profile = undefined;
    this._notes = [];
    void api<{ teams: Team[] }>(`/sites/${encodeURIComponent(c.siteKey)}/teams`).then((r) => this._selected?.id === c.id && (this._teams = r.teams), () => {});
    void api<CustomerProfile>(`/sites/${encodeURIComponent(c.siteKey)}/customers/${encodeURIComponent(c.userId ?? c.anonymousId)}`).then(
      (p) => this._selected?.id === c.id && (this._profile = p),
      () => {},
    );
    this._events = [];
    this._convError = undefined;
    let r: { events: ChatEvent[]; notes: ConversationNote[] };
    try {
      r = await api<{ events: ChatEvent[]; notes: ConversationNote[] }>(`/conversations/${c.id}`);
    } catch (e) {
      if (this._selected?.id === c.id) this._convError = (e as Error).message;
      return;
    }
    if (this._selected?.id === c.id) {
      this._events = r.events;
      this._notes = r.notes;
      this._markRead();
    }
    void this.updateComplete.then(() => (this.renderRoot.querySelector('tp-inbox-composer') as HTMLElement | null)?.focus());
  }

  /** The composer's reply (to the customer) or private note (agents only). */
  private async _compose(e: CustomEvent<ComposeDetail>) {
    const c = this._selected;
    if (!c) return;
    if (e.detail.note) {
      const r = await api<{ note: ConversationNote }>(`/conversations/${c.id}/notes`, { clientId: crypto.randomUUID(), body: e.detail.body });
      this._onNote(r.note);
      return;
    }
    agentStoppedTyping();
    const r = await api<{ events: ChatEvent[] }>(`/conversations/${c.id}/messages`, { clientId: crypto.randomUUID(), body: e.detail.body });
    r.events.forEach((x) => this._onEvent(x));
  }

  /** A row's title: the customer's name, e-mail or user id, else the anonymous visitor. */
  private _title(x: ConversationSummary) {
    return x.customerName ?? x.visitorEmail ?? x.userId ?? `Visitor ${x.anonymousId.slice(-6)}`;
  }

  override willUpdate(): void {
    this.dataset.screen = this._selected ? 'conversation' : 'list';
  }

  override updated(): void {
    const log = this.renderRoot.querySelector('.log');
    if (log) log.scrollTop = log.scrollHeight;
  }

  /** What the agent should know before answering: where the visitor came from and has been, what they said before. */
  private _visitor(c: ConversationSummary) {
    // Live while the conversation is open: the current page, touches, on the site or gone (inbox-context.ts).
    return html`<tp-inbox-context .site=${c.siteKey} .customer=${c.userId ?? c.anonymousId} .conversation=${c.id}></tp-inbox-context>`;
  }

  /** The team view's team: the agent's own teams, or any one team (a lead watching a queue they are not in). */
  private _teamPicker() {
    const several = new Set(this._allTeams.map((t) => t.siteKey)).size > 1;
    return html`<label class="team-pick"
      >Team
      <select
        @change=${(e: Event) => {
          this._team = (e.target as HTMLSelectElement).value || undefined;
          void this._refresh();
        }}
      >
        <option value="" ?selected=${!this._team}>My teams</option>
        ${this._allTeams.map((t) => html`<option value=${t.id} ?selected=${t.id === this._team}>${t.name}${several ? ` · ${t.siteName}` : ''}</option>`)}
      </select></label
    >`;
  }

  private _setFilter(f: Filter | undefined) {
    this._filter = f;
    void this._refresh();
  }

  private _line(l: Line) {
    if (l.note) {
      const n = l.note;
      return html`<div class="msg note"><bdi class="who">Private note · ${n.authorName}</bdi><span class="text" dir="auto">${n.body}</span><time datetime=${n.createdAt}>${messageTime(n.createdAt)}</time></div>`;
    }
    const e = l.event;
    if (e.kind === 'message')
      return html`<div class="msg ${e.author.kind}"><bdi class="who">${authorWords(e.author)}</bdi><span class="text" dir="auto">${e.body}</span>${messageAttachments(e)}<time datetime=${e.createdAt}>${messageTime(e.createdAt)}</time></div>`;
    if (e.kind === 'handoff') return html`<p class="note">Handed over by the bot · <time datetime=${e.createdAt}>${messageTime(e.createdAt)}</time></p>`;
    if (e.kind === 'email') return html`<p class="note">Left the e-mail address <bdi>${String(e.data?.email)}</bdi></p>`;
    if (e.kind === 'status' && e.data?.status === 'closed') return html`<p class="note">Resolved${e.author.name ? html` by <bdi>${e.author.name}</bdi>` : nothing} · <time datetime=${e.createdAt}>${messageTime(e.createdAt)}</time></p>`;
    return nothing;
  }

  override render() {
    const c = this._selected;
    const counts = this._counts;
    return html`
      <h1 class="sr-only">Inbox</h1>
      <nav aria-label="Conversations">
        <div class="tabs views" role="group" aria-label="Whose">
          ${VIEWS.map(
            ([id, label]) =>
              html`<button type="button" aria-pressed=${this._view === id ? 'true' : 'false'} @click=${() => ((this._view = id), void this._refresh())}>
                ${id === 'team' && this._team ? (this._allTeams.find((t) => t.id === this._team)?.name ?? label) : label}${counts ? html` <span class="count">${counts[id]}</span>` : nothing}
              </button>`,
          )}
        </div>
        ${this._view === 'team' ? this._teamPicker() : nothing}
        <div class="tabs" role="group" aria-label="Show">
          ${FILTERS.map(([id, label]) => html`<button type="button" aria-pressed=${this._filter === id ? 'true' : 'false'} @click=${() => this._setFilter(this._filter === id ? undefined : id)}>${label}</button>`)}
        </div>
        <form class="search" role="search" @submit=${(e: Event) => (e.preventDefault(), (this._q = (this.renderRoot.querySelector('#inbox-q') as HTMLInputElement).value), void this._refresh())}>
          <label for="inbox-q" class="sr-only">Search conversations</label>
          <input id="inbox-q" type="search" maxlength="200" placeholder="Search words, name, e-mail" .value=${this._q} />
          <button type="submit" class="secondary">Search</button>
        </form>
        ${this._label ? html`<p class="filter-label">Label <span class="tag">${this._label}</span> <button type="button" @click=${() => ((this._label = undefined), void this._refresh())}>Show all labels</button></p>` : nothing}
        ${this._listError
          ? errorState(this._listError, () => this._refresh())
          : this._list.length
          ? html`<ul>
              ${this._list.map(
                (x) => html`<li>
                  <button type="button" class=${x.slaBreached && x.state !== 'resolved' ? 'overdue' : ''} aria-current=${x.id === c?.id ? 'true' : 'false'} @click=${() => this._open(x)}>
                    <strong><bdi>${this._title(x)}</bdi></strong> · ${x.channel}
                    <span class="preview" dir="auto">${x.lastMessage ?? 'No message from the customer yet'}</span>
                    <span class="meta">
                      <span>${stateLine(x)}</span>
                      <span>${x.assigneeName ? `Assigned to ${x.assigneeName}` : 'Unassigned'}${x.teamName ? ` · ${x.teamName}` : ''}</span>
                      ${x.slaBreached && x.state !== 'resolved' ? html`<span class="breach">First response overdue</span>` : nothing}
                      ${x.labels.map((l) => html`<span class="tag">${l}</span>`)}
                    </span>
                  </button>
                </li>`,
              )}
            </ul>`
          : html`<p class="empty">No conversations here.</p>`}
      </nav>
      <section class="conv" aria-label="Conversation">
        ${c
          ? html`<header>
                <button type="button" class="back secondary" @click=${() => ((this._selected = undefined), agentStoppedTyping())}>Back to conversations</button>
                <h2>Conversation · ${stateLine(c)}</h2>
                ${c.slaBreached && c.state !== 'resolved' ? html`<span class="breach">First response overdue</span>` : nothing}
                ${c.labels.map((l) => html`<button type="button" class="tag" aria-label=${`Show conversations labelled ${l}`} @click=${() => ((this._label = l), void this._refresh())}>${l}</button>`)}
              </header>
              <tp-inbox-toolbar .conversation=${c} .agents=${this._agents} .teams=${this._teams} @tp-changed=${() => void this._refresh().then(() => this._reselect())}></tp-inbox-toolbar>
              ${this._convError ? errorState(this._convError, () => this._open(c)) : nothing}
              <div class="log" role="log" aria-live="polite" aria-label="Transcript" tabindex="0">${this._lines().map((l) => this._line(l))}</div>
              <p class="typing" role="status">${this._typing}</p>
              <tp-inbox-composer
                .siteKey=${c.siteKey}
                .context=${{ customer: { name: c.customerName, email: c.visitorEmail, id: c.userId ?? c.anonymousId }, agent: { name: this._me?.name, email: this._me?.email }, conversation: { id: c.id } }}
                @tp-compose=${this._compose}
                @input=${(e: Event) => !(e.currentTarget as { note?: boolean }).note && agentTyping(c.id)}
              ></tp-inbox-composer>
              <tp-composer-attach .conversationId=${c.id}></tp-composer-attach>`
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
