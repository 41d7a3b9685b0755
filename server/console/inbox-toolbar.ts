import { LitElement, css, html, nothing } from 'lit';
import { api, type ConversationSummary } from './api.js';
import type { Team } from '../repositories/teams.js';

export interface InboxAgent {
  id: string;
  name: string;
  email: string;
  online: boolean;
}

/** `datetime-local` wants local wall time without a zone: the agent's own time zone. */
const localInput = (ms: number) => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

/**
 * One conversation's workflow: assignee and team, open / on hold / snooze
 * until a time / resolve, and labels. Each change goes to the server; the
 * inbox hears it back on the agents' stream (`tp-changed` tells it at once).
 */
export class TpInboxToolbar extends LitElement {
  static override styles = css`
    :host { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; padding: 0.5rem 1rem; border-bottom: 1px solid #d0d7de; font-size: 0.9rem; }
    label { display: inline-flex; gap: 0.35rem; align-items: center; }
    select, input { font: inherit; padding: 0.2rem 0.35rem; border: 1px solid #8c959f; border-radius: 4px; background: #fff; }
    button { font: inherit; border: 1px solid #8c959f; background: #fff; border-radius: 6px; padding: 0.2rem 0.7rem; cursor: pointer; }
    .labels { display: inline-flex; flex-wrap: wrap; gap: 0.25rem; align-items: center; list-style: none; margin: 0; padding: 0; }
    .chip { display: inline-flex; gap: 0.2rem; align-items: center; background: #ddf4ff; border-radius: 1rem; padding: 0 0.25rem 0 0.6rem; }
    .chip button { border: 0; background: none; padding: 0 0.3rem; border-radius: 1rem; }
    .group { display: inline-flex; gap: 0.35rem; align-items: center; }
  `;

  static override properties = { conversation: { attribute: false }, agents: { attribute: false }, teams: { attribute: false }, _error: { state: true } };
  declare conversation: ConversationSummary;
  declare agents: InboxAgent[];
  declare teams: Team[];
  declare private _error: string;

  constructor() {
    super();
    this.agents = [];
    this.teams = [];
    this._error = '';
  }

  private async _do(path: string, body: unknown, method?: string) {
    this._error = '';
    try {
      await api(`/conversations/${this.conversation.id}/${path}`, body, method);
      this.dispatchEvent(new CustomEvent('tp-changed', { bubbles: true, composed: true }));
    } catch (err) {
      this._error = (err as Error).message;
    }
  }

  private _assign(assigneeId: string | null, teamId: string | null) {
    return this._do('assign', { assigneeId, teamId });
  }

  private _state(state: 'open' | 'pending' | 'snoozed' | 'resolved', until?: string) {
    return this._do('state', until ? { state, until } : { state });
  }

  private _snooze() {
    const v = (this.renderRoot.querySelector('#snooze-until') as HTMLInputElement).value;
    const t = Date.parse(v);
    if (!Number.isFinite(t)) {
      this._error = 'Choose when the snooze ends.';
      return;
    }
    return this._state('snoozed', new Date(t).toISOString());
  }

  private _labels(labels: string[]) {
    return this._do('labels', { labels }, 'PUT');
  }

  override render() {
    const c = this.conversation;
    const mine = this.agents;
    const inTeam = c.teamId ? this.teams.find((t) => t.id === c.teamId) : undefined;
    return html`
      <label
        >Assignee
        <select @change=${(e: Event) => this._assign((e.target as HTMLSelectElement).value || null, c.teamId)}>
          <option value="" ?selected=${!c.assigneeId}>Nobody</option>
          ${mine.map((a) => html`<option value=${a.id} ?selected=${a.id === c.assigneeId}>${a.name}${a.online ? ' (online)' : ''}${inTeam && !inTeam.memberIds.includes(a.id) ? ' · not in team' : ''}</option>`)}
        </select></label
      >
      <label
        >Team
        <select @change=${(e: Event) => this._assign(c.assigneeId, (e.target as HTMLSelectElement).value || null)}>
          <option value="" ?selected=${!c.teamId}>No team</option>
          ${this.teams.map((t) => html`<option value=${t.id} ?selected=${t.id === c.teamId}>${t.name}</option>`)}
        </select></label
      >
      ${c.state === 'bot'
        ? nothing
        : html`<span class="group" role="group" aria-label="State">
            ${c.state !== 'open' ? html`<button type="button" @click=${() => this._state('open')}>${c.state === 'resolved' ? 'Reopen' : 'Open'}</button>` : nothing}
            ${c.state !== 'pending' ? html`<button type="button" @click=${() => this._state('pending')}>On hold</button>` : nothing}
            <label>Snooze until <input id="snooze-until" type="datetime-local" .value=${localInput(Date.now() + 3_600_000)} /></label>
            <button type="button" @click=${() => this._snooze()}>Snooze</button>
          </span>`}
      ${c.state !== 'resolved' ? html`<button type="button" @click=${() => this._state('resolved')}>Resolve</button>` : nothing}
      <ul class="labels" aria-label="Labels">
        ${c.labels.map(
          (l) => html`<li class="chip">${l}<button type="button" aria-label=${`Remove label ${l}`} @click=${() => this._labels(c.labels.filter((x) => x !== l))}>×</button></li>`,
        )}
        <li>
          <label
            >Add label
            <input
              size="10"
              maxlength="40"
              @keydown=${(e: KeyboardEvent) => {
                const input = e.target as HTMLInputElement;
                if (e.key !== 'Enter' || !input.value.trim()) return;
                e.preventDefault();
                void this._labels([...c.labels, ...input.value.split(',').map((x) => x.trim()).filter(Boolean)]);
                input.value = '';
              }}
          /></label>
        </li>
      </ul>
      ${this._error ? html`<p role="alert">${this._error}</p>` : nothing}
    `;
  }
}
customElements.define('tp-inbox-toolbar', TpInboxToolbar);
