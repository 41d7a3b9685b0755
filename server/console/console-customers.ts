import { LitElement, html, nothing } from 'lit';
import type { CustomerList, CustomerRow } from '../customers/find-customers.js';
import { api } from './api.js';
import { currentSite } from './current-site.js';
import { pageStyles } from './page.styles.js';
import { when } from './format-time.js';
import { errorState } from './error-state.js';
import { visitorName } from './visitor-name.js';

/** Customers: recent visitors (who is on the site now first), and search by id, email or any trait; the same list as CSV (the same query, more rows). */
export class TpConsoleCustomers extends LitElement {
  static override styles = pageStyles;
  static override properties = { _rows: { state: true }, _online: { state: true }, _q: { state: true }, _error: { state: true } };
  declare private _rows: CustomerRow[] | undefined;
  declare private _online: number;
  declare private _q: string;
  declare private _error: string | undefined;
  private _site: string | undefined;

  constructor() {
    super();
    this._online = 0;
    this._q = new URLSearchParams(location.search).get('q') ?? '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void currentSite().then((s) => {
      this._site = s;
      return this._load();
    });
  }

  private async _load() {
    if (!this._site) return;
    try {
      const r = await api<CustomerList>(`/sites/${encodeURIComponent(this._site)}/customers${this._q ? `?q=${encodeURIComponent(this._q)}` : ''}`);
      this._rows = r.customers;
      this._online = r.onlineNow;
      this._error = undefined;
    } catch (e) {
      this._error = (e as Error).message;
    }
  }

  private _search(e: Event) {
    e.preventDefault();
    this._q = (this.renderRoot.querySelector('input[type=search]') as HTMLInputElement).value.trim();
    history.replaceState({}, '', `/console/customers${this._q ? `?q=${encodeURIComponent(this._q)}` : ''}`);
    void this._load();
  }

  override render() {
    return html`<h1>Customers</h1>
      <form class="bar" role="search" @submit=${this._search}>
        <label>Search by id, email or any trait <input type="search" name="q" .value=${this._q} placeholder="ada@example.com" /></label>
        <button class="button">Search</button>
        ${this._site
          ? html`<a class="button" download href=${`/v1/agent/sites/${encodeURIComponent(this._site)}/customers.csv${this._q ? `?q=${encodeURIComponent(this._q)}` : ''}`}>Download CSV</a>`
          : nothing}
      </form>
      <p class="muted">${this._online} on the site now.</p>
      ${this._error ? errorState(this._error, () => this._load()) : nothing}
      <table>
        <caption class="muted" style="text-align:start">${this._q ? `Customers matching “${this._q}”` : 'Recent visitors, newest first'}</caption>
        <thead><tr><th scope="col">Customer</th><th scope="col">Email</th><th scope="col">Last seen</th><th scope="col" class="num">Sessions</th><th scope="col">Latest channel</th></tr></thead>
        <tbody>
          ${this._rows?.length
            ? this._rows.map(
                (c) => html`<tr>
                  <td>
                    ${c.online ? html`<span class="online" title="On the site now"></span><span class="sr-only">On the site now: </span>` : nothing}
                    <a href=${`/console/customers/${encodeURIComponent(c.id)}`} title=${c.userId ?? c.anonymousId}>${visitorName(c)}</a>
                    ${c.userId ? html` <span class="tag tag--verified">verified</span>` : nothing}
                  </td>
                  <td>${c.email ?? ''}</td>
                  <td>${when(c.lastSeen)}</td>
                  <td class="num">${c.sessions}</td>
                  <td>${c.channel ?? ''}</td>
                </tr>`,
              )
            : html`<tr><td colspan="5" class="muted">${this._rows ? 'No customers found.' : 'Loading…'}</td></tr>`}
        </tbody>
      </table>`;
  }
}
customElements.define('tp-console-customers', TpConsoleCustomers);
