import { LitElement, css, html, nothing } from 'lit';
import { api } from './api.js';
import { errorState } from './error-state.js';
import { currentSite } from './current-site.js';
import { pageStyles } from './page.styles.js';

interface Account {
  id: string;
  kind: 'email' | 'messenger' | 'instagram' | 'whatsapp';
  address: string;
  name: string;
  settings: { fromName?: string; template?: { name: string; language: string } };
  /** Which secrets are set; their values never reach the browser. */
  secretsSet: string[];
}

const KINDS = { email: 'E-mail address', messenger: 'Messenger Page', instagram: 'Instagram account', whatsapp: 'WhatsApp number' } as const;
const ADDRESS_LABEL = { email: 'Support address', messenger: 'Page id', instagram: 'Instagram account id', whatsapp: 'Phone number id' } as const;
const TEST_TO = { email: 'Send a test to (e-mail)', messenger: 'Send a test to (PSID)', instagram: 'Send a test to (IGSID)', whatsapp: 'Send a test to (WhatsApp number)' } as const;

/**
 * Channels (owners and admins): the site's support addresses and Meta
 * accounts, where to point their webhooks, and a "send test". Tokens are
 * write-only here: the form sends them, no answer ever brings them back.
 */
export class TpConsoleChannels extends LitElement {
  static override styles = [pageStyles, css`
    form.add { display: grid; gap: 0.5rem; max-width: 36rem; }
    code { word-break: break-all; }
  `];
  static override properties = { _accounts: { state: true }, _kind: { state: true }, _error: { state: true }, _note: { state: true }, _smtp: { state: true } };
  declare private _accounts: Account[] | undefined;
  declare private _kind: Account['kind'];
  declare private _error: string | undefined;
  declare private _note: string | undefined;
  declare private _smtp: { listening: boolean; relay: boolean } | undefined;
  private _site: string | undefined;

  constructor() {
    super();
    this._kind = 'email';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void currentSite().then((s) => {
      this._site = s;
      return this._load();
    });
  }

  private get _base() {
    return `/sites/${encodeURIComponent(this._site ?? '')}/channels`;
  }

  private async _load() {
    if (!this._site) return;
    try {
      const r = await api<{ accounts: Account[]; smtp: { listening: boolean; relay: boolean } }>(this._base);
      this._accounts = r.accounts;
      this._smtp = r.smtp;
      this._error = undefined;
    } catch (e) {
      this._error = (e as Error).message;
    }
  }

  private async _add(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = Object.fromEntries(new FormData(form)) as Record<string, string>;
    const secrets = Object.fromEntries(['appSecret', 'accessToken', 'verifyToken', 'inboundPassword'].filter((k) => f[k]).map((k) => [k, f[k]]));
    const settings = {
      ...(f.fromName ? { fromName: f.fromName } : {}),
      ...(f.templateName ? { template: { name: f.templateName, language: f.templateLanguage || 'en_US' } } : {}),
    };
    try {
      await api(this._base, { kind: this._kind, address: f.address, ...(f.name ? { name: f.name } : {}), secrets, settings });
      form.reset();
      this._note = 'Saved.';
      await this._load();
    } catch (err) {
      this._error = (err as Error).message;
    }
  }

  private async _test(a: Account, e: SubmitEvent) {
    e.preventDefault();
    const to = String(new FormData(e.target as HTMLFormElement).get('to') ?? '');
    try {
      const r = await api<{ ok: boolean; error?: string }>(`${this._base}/${a.id}/test`, { to });
      this._note = r.ok ? `Test sent to ${to} through ${a.address}.` : `Test failed: ${r.error ?? 'unknown error'}`;
    } catch (err) {
      this._note = `Test failed: ${(err as Error).message}`;
    }
  }

  private async _remove(a: Account) {
    if (!confirm(`Remove ${a.address}? Its conversations stay; replies to them are no longer sent.`)) return;
    await api(`${this._base}/${a.id}`, undefined, 'DELETE').catch((err: Error) => (this._error = err.message));
    await this._load();
  }

  private _webhook(a: Account) {
    return a.kind === 'email' ? `${location.origin}/v1/channels/email/${a.id}/postmark` : `${location.origin}/v1/channels/meta/${a.id}`;
  }

  override render() {
    const k = this._kind;
    return html`<h1>Channels</h1>
      <p class="muted">E-mail, Messenger, Instagram and WhatsApp conversations land in the inbox beside web chat. See docs/channels.md for each platform's setup.</p>
      ${this._error ? errorState(this._error, () => this._load()) : nothing}
      ${this._note ? html`<p role="status">${this._note}</p>` : nothing}
      ${this._smtp ? html`<p class="muted">SMTP listener: ${this._smtp.listening ? 'on' : 'off (TOUCHPOINT_SMTP_PORT)'} · relay for replies: ${this._smtp.relay ? 'set' : 'not set (TOUCHPOINT_SMTP_RELAY)'}</p>` : nothing}
      <table>
        <thead><tr><th scope="col">Channel</th><th scope="col">Address</th><th scope="col">Webhook URL</th><th scope="col">Secrets set</th><th scope="col">Test</th><th scope="col"><span class="sr-only">Remove</span></th></tr></thead>
        <tbody>
          ${(this._accounts ?? []).map(
            (a) => html`<tr>
              <td>${KINDS[a.kind]}${a.name ? html`<br /><span class="muted">${a.name}</span>` : nothing}</td>
              <td><code>${a.address}</code></td>
              <td><code>${this._webhook(a)}</code></td>
              <td>${a.secretsSet.join(', ') || '—'}</td>
              <td>
                <form @submit=${(e: SubmitEvent) => this._test(a, e)}>
                  <label>${TEST_TO[a.kind]} <input name="to" required /></label>
                  <button class="button">Send test</button>
                </form>
              </td>
              <td><button type="button" @click=${() => this._remove(a)}>Remove</button></td>
            </tr>`,
          )}
        </tbody>
      </table>
      <h2>Add or update a channel</h2>
      <form class="add" @submit=${this._add}>
        <label>Kind
          <select name="kind" @change=${(e: Event) => (this._kind = (e.target as HTMLSelectElement).value as Account['kind'])}>
            ${Object.entries(KINDS).map(([v, l]) => html`<option value=${v} ?selected=${v === k}>${l}</option>`)}
          </select>
        </label>
        <label>${ADDRESS_LABEL[k]} <input name="address" required autocomplete="off" /></label>
        <label>Name <input name="name" /></label>
        ${k === 'email'
          ? html`<label>From name on replies <input name="fromName" /></label>
              <label>Inbound webhook password (Postmark basic auth) <input name="inboundPassword" type="password" autocomplete="new-password" /></label>`
          : html`<label>App secret <input name="appSecret" type="password" autocomplete="new-password" /></label>
              <label>Access token <input name="accessToken" type="password" autocomplete="new-password" /></label>
              <label>Verify token <input name="verifyToken" type="password" autocomplete="new-password" /></label>`}
        ${k === 'whatsapp'
          ? html`<label>Template after 24 hours (name) <input name="templateName" pattern="[a-z0-9_]+" /></label>
              <label>Template language <input name="templateLanguage" placeholder="en_US" /></label>`
          : nothing}
        <p class="muted">Secrets left empty keep their current value. They are stored on the server only.</p>
        <button class="button">Save</button>
      </form>`;
  }
}
customElements.define('tp-console-channels', TpConsoleChannels);
