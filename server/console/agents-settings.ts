import { LitElement, css, html, nothing } from 'lit';
import { api } from './api.js';
import { pageStyles } from './page.styles.js';
import { errorState } from './error-state.js';

interface AgentRow {
  id: string;
  email: string;
  name: string;
  role: 'owner' | 'admin' | 'agent';
}

/**
 * Agents, for owners and admins: invite (the server makes a one-time password
 * to pass on; there is no outgoing mail of its own), change a role, remove.
 * The server keeps the last owner and lets only owners make or remove owners.
 * Teams are the inbox's (docs/console.md).
 */
export class TpAgentsSettings extends LitElement {
  static override styles = [pageStyles, css`form { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; margin: 0.5rem 0; } [role='alert'] { color: #a40e26; }`];
  static override properties = { _list: { state: true }, _err: { state: true }, _invited: { state: true }, _loadError: { state: true } };
  declare private _list: AgentRow[] | undefined;
  declare private _err: string;
  declare private _invited: string;
  declare private _loadError: string | undefined;

  constructor() {
    super();
    this._err = '';
    this._invited = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  /** The list; when it cannot be read, the reason in words with a Retry (error-state.ts). */
  private async _load() {
    try {
      this._list = (await api<{ agents: AgentRow[] }>('/agents')).agents;
      this._loadError = undefined;
    } catch (e) {
      this._loadError = (e as Error).message;
    }
  }

  private async _do(fn: () => Promise<unknown>) {
    try {
      await fn();
      this._err = '';
      await this._load();
    } catch (e) {
      this._err = (e as Error).message;
    }
  }

  private _invite(e: Event) {
    e.preventDefault();
    const f = e.target as HTMLFormElement;
    const v = (n: string) => (f.elements.namedItem(n) as HTMLInputElement).value.trim();
    void this._do(async () => {
      const r = await api<{ agent: AgentRow; password: string }>('/agents', { email: v('email'), name: v('name'), role: v('role') });
      this._invited = `${r.agent.email} can sign in with the one-time password ${r.password} — pass it on; it is not shown again.`;
      f.reset();
    });
  }

  override render() {
    return html`<h2 id="agents-h">Agents</h2>
      ${this._loadError
        ? errorState(this._loadError, () => this._load())
        : this._list
        ? html`<table aria-labelledby="agents-h">
            <thead><tr><th scope="col">Name</th><th scope="col">E-mail</th><th scope="col">Role</th><th scope="col"><span class="sr-only">Remove</span></th></tr></thead>
            <tbody>
              ${this._list.map(
                (a) => html`<tr>
                  <td>${a.name}</td><td>${a.email}</td>
                  <td><select aria-label=${`Role of ${a.email}`} @change=${(e: Event) => this._do(() => api(`/agents/${a.id}/role`, { role: (e.target as HTMLSelectElement).value }, 'PUT'))}>
                    ${['owner', 'admin', 'agent'].map((r) => html`<option ?selected=${a.role === r}>${r}</option>`)}
                  </select></td>
                  <td><button type="button" class="button" aria-label=${`Remove ${a.email}`} @click=${() => confirm(`Remove ${a.email}?`) && this._do(() => api(`/agents/${a.id}`, undefined, 'DELETE'))}>Remove</button></td>
                </tr>`,
              )}
            </tbody>
          </table>`
        : html`<p class="muted">Loading…</p>`}
      <form aria-label="Invite an agent" @submit=${(e: Event) => this._invite(e)}>
        <label>E-mail <input name="email" type="email" required /></label>
        <label>Name <input name="name" required /></label>
        <label>Role <select name="role"><option>agent</option><option>admin</option><option>owner</option></select></label>
        <button type="submit" class="button">Invite</button>
      </form>
      ${this._err ? html`<p role="alert">${this._err}</p>` : nothing}
      ${this._invited ? html`<p role="status">${this._invited}</p>` : nothing}`;
  }
}
customElements.define('tp-agents-settings', TpAgentsSettings);
