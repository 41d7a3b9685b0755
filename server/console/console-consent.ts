import { LitElement, html, nothing } from 'lit';
import { categoriesOf, type ConsentEntry } from '../reports/consent-history.js';
import { api } from './api.js';
import { when } from './format-time.js';
import { errorState } from './error-state.js';
import { visitorName } from './visitor-name.js';

/**
 * Proof of consent: every decision a visitor made (banner, API, GPC), as the
 * server keeps them append-only, searchable by anonymous id or user id, with
 * a CSV export of one visitor's history. Deep link: `/console/consent?visitor=…`.
 */
export class TpConsoleConsent extends LitElement {
  static override properties = { _visitor: { state: true }, _records: { state: true }, _error: { state: true } };
  declare private _visitor: string;
  declare private _records: ConsentEntry[] | undefined;
  declare private _error: string | undefined;

  constructor() {
    super();
    this._visitor = new URL(location.href).searchParams.get('visitor') ?? '';
  }

  protected override createRenderRoot() {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  private async _load() {
    try {
      const q = this._visitor ? `?visitor=${encodeURIComponent(this._visitor)}` : '';
      this._records = (await api<{ records: ConsentEntry[] }>(`/consent${q}`)).records;
      this._error = undefined;
    } catch (e) {
      this._error = (e as Error).message;
    }
  }

  private _search(e: Event) {
    e.preventDefault();
    this._visitor = (new FormData(e.target as HTMLFormElement).get('visitor') as string).trim();
    history.replaceState({}, '', this._visitor ? `/console/consent?visitor=${encodeURIComponent(this._visitor)}` : '/console/consent');
    void this._load();
  }

  override render() {
    const rows = this._records ?? [];
    const cats = categoriesOf(rows);
    return html`<div class="page">
      <h1>Consent records</h1>
      <form class="controls" role="search" @submit=${(e: Event) => this._search(e)}>
        <label>Visitor (anonymous id or user id) <input name="visitor" .value=${this._visitor} size="40" /></label>
        <button type="submit" class="primary">Show history</button>
        ${this._visitor ? html`<a class="link" download href=${`/v1/agent/consent.csv?visitor=${encodeURIComponent(this._visitor)}`}>Export CSV</a>` : nothing}
      </form>
      ${this._error ? errorState(this._error, () => this._load()) : nothing}
      <p class="muted">${this._visitor ? `${rows.length} decisions of this visitor, oldest first.` : 'The latest 200 decisions of all visitors. Records are append-only: withdrawals are new records.'}</p>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">When</th>
            ${this._visitor ? nothing : html`<th scope="col">Visitor</th>`}
            <th scope="col">Method</th>
            <th scope="col">Policy</th>
            ${cats.map((c) => html`<th scope="col">${c}</th>`)}
            <th scope="col">GPC</th>
            <th scope="col">Locale</th>
            <th scope="col">Page</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) => html`<tr class="consent-row">
              <td>${when(r.timestamp)}</td>
              ${this._visitor ? nothing : html`<td><a href=${`/console/consent?visitor=${encodeURIComponent(r.userId ?? r.anonymousId)}`} title=${r.userId ?? r.anonymousId}>${visitorName(r)}</a></td>`}
              <td>${r.method}</td>
              <td>${r.policyVersion}</td>
              ${cats.map((c) => html`<td>${r.categories[c] === undefined ? '—' : r.categories[c] ? 'granted' : 'denied'}</td>`)}
              <td>${r.gpc ? 'yes' : 'no'}</td>
              <td>${r.locale ?? ''}</td>
              <td>${r.url ? new URL(r.url).pathname : ''}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}
customElements.define('tp-console-consent', TpConsoleConsent);
