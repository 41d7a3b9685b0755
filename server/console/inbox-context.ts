import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { api } from './api.js';
import { agentStream, type AgentStream } from './agent-stream.js';
import type { CustomerProfile } from '../customers/customer-profile.js';
import { when } from './format-time.js';
import { answerWords } from './inbox-words.js';

/** How soon the panel looks again: at once after a change, then slower while nothing changes (ms). */
const FIRST = 2_000;
const SLOWEST = 15_000;

/** Where the visitor is and has come from, as one comparable string: a change of any of it is news. */
const fingerprint = (p: CustomerProfile) =>
  JSON.stringify([p.online, p.lastSeen, p.firstTouch, p.lastTouch, p.userId, p.timeline.slice(0, 8).map((i) => [i.kind, i.label, i.at])]);

/**
 * The visitor beside a conversation, kept current while it is open (#22): the
 * page they are on now, first and last touch (which may arrive after the chat
 * began), whether they are still on the site. It polls the customer profile
 * with backoff — every 2 s after a change, up to 15 s while nothing changes —
 * pauses while the console is hidden, and looks at once when the visitor
 * does something in the conversation (the agent stream) or the tab returns.
 */
export class TpInboxContext extends LitElement {
  static override styles = css`
    :host { display: block; }
    dl { margin: 0; }
    dt { font-weight: 600; margin-top: 0.5rem; }
    dd { margin: 0; overflow-wrap: anywhere; }
    h3 { font-size: 0.9rem; margin: 1rem 0 0.25rem; }
    ul { padding-inline-start: 1rem; margin: 0; }
    .note { color: #57606a; font-size: 0.8rem; }
    .now { display: inline-block; width: 0.6rem; height: 0.6rem; border-radius: 50%; background: #1a7f37; margin-inline-end: 0.35rem; }
    bdi { unicode-bidi: isolate; }
    a { color: #0b5cad; }
  `;
  static override properties = { site: {}, customer: {}, conversation: {}, _profile: { state: true } };
  declare site: string;
  /** The customer's user id, else their anonymous id. */
  declare customer: string;
  /** The conversation beside which it shows (its own is left out of "past conversations"). */
  declare conversation: string;
  declare private _profile: CustomerProfile | undefined;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _wait = FIRST;
  private _seen = '';
  private _stream: AgentStream | undefined;
  private _inFlight = false;

  override connectedCallback(): void {
    super.connectedCallback();
    this._stream = agentStream();
    this._stream.addEventListener('chat', (m) => {
      const e = JSON.parse(m.data) as { conversationId: string; author: { kind: string } };
      if (e.conversationId === this.conversation && e.author.kind === 'visitor') this._soon();
    });
    document.addEventListener('visibilitychange', this._onVisible);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this._timer);
    this._stream?.close();
    document.removeEventListener('visibilitychange', this._onVisible);
  }

  private readonly _onVisible = () => {
    if (document.visibilityState === 'visible') this._soon();
  };

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('customer') || changed.has('site')) {
      this._profile = undefined;
      this._seen = '';
      this._soon();
    }
  }

  /** Looks now and polls fast again. */
  private _soon() {
    this._wait = FIRST;
    clearTimeout(this._timer);
    void this._load();
  }

  private async _load() {
    if (!this.site || !this.customer || this._inFlight) return;
    const want = `${this.site}/${this.customer}`;
    this._inFlight = true;
    try {
      const p = await api<CustomerProfile>(`/sites/${encodeURIComponent(this.site)}/customers/${encodeURIComponent(this.customer)}`);
      if (want !== `${this.site}/${this.customer}`) return;
      const f = fingerprint(p);
      this._wait = f === this._seen ? Math.min(SLOWEST, Math.round(this._wait * 1.5)) : FIRST;
      this._seen = f;
      this._profile = p;
    } catch {
      this._wait = SLOWEST;
    } finally {
      this._inFlight = false;
    }
    clearTimeout(this._timer);
    if (this.isConnected && document.visibilityState === 'visible') this._timer = setTimeout(() => void this._load(), this._wait);
  }

  private _touch(t: CustomerProfile['firstTouch']) {
    return t ? `${t.channel}${t.source ? ` (${t.source})` : ''}` : '—';
  }

  override render() {
    const p = this._profile;
    if (!p) return nothing;
    const pages = p.timeline.filter((i) => i.kind === 'page').slice(0, 5);
    const past = p.timeline.filter((i) => i.kind === 'conversation' && i.conversationId !== this.conversation).slice(0, 5);
    const answers = p.timeline.filter((i) => i.kind === 'survey').slice(0, 5);
    return html`<dl>
        <dt>First touch</dt>
        <dd>${this._touch(p.firstTouch)}</dd>
        <dt>Last touch</dt>
        <dd>${this._touch(p.lastTouch)}</dd>
        <dt>${p.online ? 'On the site now' : 'Left the site'}</dt>
        <dd data-now>${p.online ? html`<span class="now"></span><bdi>${pages[0]?.label ?? ''}</bdi>` : p.lastSeen ? `last seen ${when(p.lastSeen)}` : '—'}</dd>
      </dl>
      <h3>Recent pages</h3>
      <ul>${pages.length ? pages.map((i) => html`<li><bdi>${i.label}</bdi> <span class="note">${when(i.at)}</span></li>`) : html`<li class="note">None</li>`}</ul>
      <h3>Past conversations</h3>
      <ul>${past.length ? past.map((i) => html`<li>${i.detail ?? i.label} <span class="note">${when(i.at)}</span></li>`) : html`<li class="note">None</li>`}</ul>
      <h3>Survey answers</h3>
      <ul>
        ${answers.length ? answers.map((i) => html`<li>${i.label}: <strong>${answerWords(i.value)}</strong></li>`) : html`<li class="note">None</li>`}
      </ul>
      <p><a href=${`/console/customers/${encodeURIComponent(p.userId ?? p.anonymousIds[0]!)}`}>Full profile</a></p>`;
  }
}
customElements.define('tp-inbox-context', TpInboxContext);
