import { LitElement, css, html, nothing } from 'lit';
import type { CustomerProfile, TimelineItem } from '../customers/customer-profile.js';
import { api } from './api.js';
import { currentSite } from './current-site.js';
import { pageStyles } from './page.styles.js';
import { when } from './format-time.js';
import { errorState } from './error-state.js';
import { money } from './format-money.js';
import { visitorName } from './visitor-name.js';
import { replayLink } from './replay-link.js';

const KIND: Record<TimelineItem['kind'], string> = {
  page: 'Page',
  event: 'Event',
  identify: 'Identify',
  friction: 'Friction',
  error: 'Error',
  vital: 'Web vital',
  conversation: 'Chat',
  survey: 'Survey',
  consent: 'Consent',
};

const touch = (t: CustomerProfile['firstTouch']) => (t ? [t.channel, [t.source, t.medium].filter(Boolean).join(' / '), t.campaign].filter(Boolean).join(' · ') : '—');

/**
 * One customer: identity and verification, traits, first and last touch,
 * devices and sessions, and one timeline of everything — each moment with a
 * link to the replay at that moment when the session was recorded.
 */
export class TpConsoleProfile extends LitElement {
  static override styles = [
    pageStyles,
    // The timeline: time, kind, what; transcripts fold open.
    css`
      dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 0.75rem 1rem; margin: 0; }
      dl.facts dt { font-weight: 600; }
      dl.facts dd { margin: 0; overflow-wrap: anywhere; }
      ol.timeline { list-style: none; margin: 0; padding: 0; background: #fff; border: 1px solid #d0d7de; border-radius: 8px; }
      ol.timeline li { display: grid; grid-template-columns: 11rem 6rem 1fr auto; gap: 0.75rem; padding: 0.45rem 0.75rem; border-bottom: 1px solid #eaeef2; align-items: start; }
      @media (max-width: 50rem) { ol.timeline li { grid-template-columns: 1fr; gap: 0.15rem; } }
      details { margin-top: 0.25rem; }
      .transcript p { margin: 0.15rem 0; }
    `,
  ];
  static override properties = { _p: { state: true }, _error: { state: true }, _manage: { state: true }, _sure: { state: true }, _erased: { state: true }, _linked: { state: true } };
  declare private _p: CustomerProfile | undefined;
  declare private _error: string | undefined;
  /** Owners and admins may export and erase. */
  declare private _manage: boolean;
  declare private _sure: boolean;
  declare private _erased: string | undefined;
  /** The outcome of linking a channel identity by hand, for the status line. */
  declare private _linked: { ok: boolean; text: string } | undefined;
  private _site = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void api<{ agent: { role?: string } }>('/me').then(
      (me) => (this._manage = me.agent.role === 'owner' || me.agent.role === 'admin'),
      () => undefined,
    );
    void currentSite().then((site) => this._load((this._site = site ?? '')));
  }

  private _load(site: string) {
    const id = decodeURIComponent(location.pathname.split('/')[3] ?? '');
    return api<CustomerProfile>(`/sites/${encodeURIComponent(site)}/customers/${encodeURIComponent(id)}`).then(
      (p) => (this._p = p),
      (e: Error) => (this._error = e.message),
    );
  }

  /**
   * One customer across channels by hand (docs/channels.md): an e-mail
   * address or a Messenger/Instagram/WhatsApp id that wrote in joins this
   * user's profile, audited. The profile reloads with its conversations.
   */
  private async _link(e: SubmitEvent, p: CustomerProfile) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const anonymousId = String(new FormData(form).get('identity') ?? '').trim();
    try {
      await api(`/sites/${encodeURIComponent(this._site)}/identities`, { anonymousId, userId: p.userId });
      this._linked = { ok: true, text: `Linked ${anonymousId} to ${p.userId}.` };
      form.reset();
      await this._load(this._site);
    } catch (err) {
      this._linked = { ok: false, text: (err as Error).message };
    }
  }

  private _linkForm(p: CustomerProfile) {
    if (!this._manage || !p.userId) return nothing;
    return html`<details>
      <summary>Link a channel identity to this customer</summary>
      <form @submit=${(e: SubmitEvent) => this._link(e, p)}>
        <label>E-mail or messaging identity <input name="identity" required placeholder="email:ada@example.com" pattern="(email|messenger|instagram|whatsapp):.+" /></label>
        <button class="button">Link</button>
      </form>
      ${this._linked ? html`<p role=${this._linked.ok ? 'status' : 'alert'}>${this._linked.text}</p>` : nothing}
    </details>`;
  }

  private _item(i: TimelineItem, replays: Set<string>) {
    const replay = i.sessionId && replays.has(i.sessionId) ? replayLink(i.sessionId, Date.parse(i.at)) : undefined;
    return html`<li>
      <time datetime=${i.at}>${when(i.at)}</time>
      <span><span class="tag tag--${i.kind}">${KIND[i.kind]}</span></span>
      <div>
        <strong>${i.label}</strong>${i.detail ? html` <span class="muted">${i.detail}</span>` : nothing}
        ${i.kind === 'survey' ? html` <span>→ <strong>${typeof i.value === 'string' ? i.value : JSON.stringify(i.value)}</strong></span>` : nothing}
        ${i.kind === 'vital' && i.value !== undefined ? html` <span>${String(i.value)}</span>` : nothing}
        ${i.transcript?.length
          ? html`<details>
              <summary>Transcript (${i.transcript.length} messages)</summary>
              <div class="transcript">${i.transcript.map((m) => html`<p><strong>${m.author}:</strong> ${m.body}</p>`)}</div>
            </details>`
          : nothing}
      </div>
      <span>${replay ? html`<a href=${replay}>Replay</a>` : nothing}</span>
    </li>`;
  }

  private _path(p: CustomerProfile) {
    return `/sites/${encodeURIComponent(this._site)}/customers/${encodeURIComponent(p.userId ?? p.anonymousIds[0]!)}`;
  }

  private async _erase(p: CustomerProfile) {
    try {
      const r = await api<{ counts: Record<string, number> }>(this._path(p), undefined, 'DELETE');
      this._erased = `Erased: ${Object.values(r.counts).reduce((a, b) => a + b, 0)} records in all. Downstream systems were told by the customer.deleted webhook.`;
      this._p = undefined;
    } catch (e) {
      this._error = (e as Error).message;
    }
  }

  /** Export and erasure (docs/console.md#erasure-export-and-retention), for owners and admins. */
  private _privacy(p: CustomerProfile) {
    if (!this._manage) return nothing;
    return html`<h2>Personal data</h2>
      <p>
        <a href=${`/v1/agent${this._path(p)}/export`} download>Download everything held about this customer (JSON)</a>
      </p>
      <details>
        <summary>Erase this customer</summary>
        <p>Deletes every device, session, event, conversation, replay, survey answer and consent record of this customer, at once and for good. The audit trail keeps only that it happened.</p>
        <label><input type="checkbox" .checked=${this._sure} @change=${(e: Event) => (this._sure = (e.target as HTMLInputElement).checked)} /> I understand this cannot be undone</label>
        <p><button class="danger" ?disabled=${!this._sure} @click=${() => this._erase(p)}>Erase ${p.userId ?? 'this visitor'}</button></p>
      </details>`;
  }

  override render() {
    const p = this._p;
    if (this._erased) return html`<h1>Customer</h1><p role="status">${this._erased}</p><p><a href="/console/customers">← Customers</a></p>`;
    if (this._error) return html`<h1>Customer</h1>${errorState(this._error, () => ((this._error = undefined), this._load(this._site)))}`;
    if (!p) return html`<h1>Customer</h1><p class="muted">Loading…</p>`;
    const name = visitorName({ name: typeof p.traits.name === 'string' ? p.traits.name : null, email: typeof p.traits.email === 'string' ? p.traits.email : null, userId: p.userId, anonymousId: p.anonymousIds[0] });
    const replays = new Set(p.sessions.filter((s) => s.replay).map((s) => s.sessionId));
    return html`<p><a href="/console/customers">← Customers</a></p>
      <h1>
        ${p.online ? html`<span class="online" title="On the site now"></span>` : nothing}${name}
        ${p.verified ? html`<span class="tag tag--verified">verified</span>` : html`<span class="tag tag--unverified">anonymous</span>`}
      </h1>
      <div class="two">
        <dl class="facts" aria-label="Identity">
          <dt>User id</dt><dd>${p.userId ?? '—'}</dd>
          <dt>Anonymous ids</dt><dd>${p.anonymousIds.join(', ')}</dd>
          ${p.unverifiedClaims.length ? html`<dt>Claimed (unverified)</dt><dd>${p.unverifiedClaims.join(', ')}</dd>` : nothing}
          ${Object.entries(p.traits).map(([k, v]) => html`<dt>${k}</dt><dd>${typeof v === 'string' ? v : JSON.stringify(v)}</dd>`)}
        </dl>
        <dl class="facts" aria-label="Attribution and devices">
          <dt>First touch</dt><dd>${touch(p.firstTouch)}</dd>
          <dt>Last touch</dt><dd>${touch(p.lastTouch)}</dd>
          <dt>First seen</dt><dd>${p.firstSeen ? when(p.firstSeen) : '—'}</dd>
          <dt>Last seen</dt><dd>${p.lastSeen ? when(p.lastSeen) : '—'}</dd>
          <dt>Devices</dt><dd>${p.devices.join('; ') || '—'}</dd>
          <dt>Conversions</dt><dd>${p.conversions} · ${money(p.revenue, p.currency)}</dd>
        </dl>
      </div>
      <h2>Sessions (${p.sessions.length})</h2>
      <table>
        <thead><tr><th scope="col">Started</th><th scope="col">Channel</th><th scope="col">Entry page</th><th scope="col">Device</th><th scope="col" class="num">Events</th><th scope="col">Replay</th></tr></thead>
        <tbody>
          ${p.sessions.map(
            (s) => html`<tr>
              <td>${when(s.startedAt)}</td>
              <td>${s.channel ?? ''}</td>
              <td>${s.entryUrl ?? ''}</td>
              <td>${s.device}</td>
              <td class="num">${s.events}</td>
              <td>${s.replay ? html`<a href=${replayLink(s.sessionId, undefined)}>Watch</a>` : nothing}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      <h2>Timeline</h2>
      <ol class="timeline" aria-label="Everything this customer did, newest first">
        ${p.timeline.map((i) => this._item(i, replays))}
      </ol>
      ${this._linkForm(p)} ${this._privacy(p)}`;
  }
}
customElements.define('tp-console-profile', TpConsoleProfile);
