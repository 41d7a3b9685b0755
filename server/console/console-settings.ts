import { LitElement, css, html, nothing } from 'lit';
import { api, type DeliveryReport } from './api.js';
import { currentSite } from './current-site.js';
import { pageStyles } from './page.styles.js';
import { when } from './format-time.js';
import { errorState } from './error-state.js';
import './site-settings-form.js';
import './agents-settings.js';

interface Settings {
  siteKey: string;
  name: string;
  origin: string;
  role: 'owner' | 'admin' | 'agent';
  canManage: boolean;
  allowedOrigins: string[];
  snippet: string;
  integrations: { forward: { url: string }[]; webhooks: { url: string; events: string[] }[]; channels: { name: string; replyUrl: string; inboundUrl: string }[] };
}
interface Secret {
  secret: string;
  previousSecretValidUntil?: string;
}

/**
 * Settings: the site's snippet ready to copy (site key filled in), the
 * npm import; for owners and admins the site key and secret (fetched only
 * when revealed; copy; rotate with a grace period) and the allowed origins;
 * its integrations (forwarding, webhooks, inbound channels) and their
 * deliveries — the dead letters with a retry.
 */
export class TpConsoleSettings extends LitElement {
  static override styles = [
    pageStyles,
    css`
      pre { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 0.75rem; overflow: auto; white-space: pre-wrap; word-break: break-all; font-size: 0.8rem; }
      .copy { display: flex; gap: 0.75rem; align-items: center; }
    `,
  ];
  static override properties = {
    _s: { state: true },
    _d: { state: true },
    _copied: { state: true },
    _error: { state: true },
    _secret: { state: true },
    _originsError: { state: true },
    _saved: { state: true },
  };
  declare private _s: Settings | undefined;
  declare private _secret: Secret | undefined;
  declare private _originsError: string;
  declare private _saved: string;
  declare private _d: DeliveryReport | undefined;
  declare private _copied: string;
  declare private _error: string | undefined;
  private _site: string | undefined;

  constructor() {
    super();
    this._copied = '';
    this._originsError = '';
    this._saved = '';
  }

  private _path(rest: string) {
    return `/sites/${encodeURIComponent(this._site ?? '')}${rest}`;
  }

  private async _reveal() {
    this._secret = this._secret ? undefined : await api<Secret>(this._path('/secret'));
  }

  private async _rotate() {
    // A day's grace: pages rendered with the old secret's userHash, and the backend until it is redeployed, keep verifying.
    if (!confirm('Rotate the site secret? The current one keeps verifying for 24 hours; deploy the new one to your backend before then.')) return;
    this._secret = await api<Secret>(this._path('/secret/rotate'), { graceSeconds: 86_400 });
    this._saved = 'New secret made; the previous one verifies for 24 hours.';
  }

  /** A new site: created, then opened (its settings, its snippet). */
  private async _newSite(e: Event) {
    e.preventDefault();
    const f = e.target as HTMLFormElement;
    const v = (n: string) => (f.elements.namedItem(n) as HTMLInputElement).value.trim();
    try {
      const r = await api<{ settings: { key: string } }>('/sites', { name: v('name'), allowedOrigins: [v('origin')] });
      location.assign(`/console/settings?site=${encodeURIComponent(r.settings.key)}`);
    } catch (err) {
      this._originsError = (err as Error).message;
    }
  }

  private _manage(s: Settings) {
    if (!s.canManage) {
      return html`<h2>Site key and secret</h2>
        <p class="muted">Site key <code>${s.siteKey}</code>. The secret and the allowed origins are for owners and admins.</p>`;
    }
    const secret = this._secret;
    return html`<h2>Site key and secret</h2>
      <dl>
        <dt>Site key (public: in the snippet)</dt>
        <dd><code id="site-key">${s.siteKey}</code> <button type="button" class="button" @click=${() => this._copy(s.siteKey, 'Site key')}>Copy key</button></dd>
        <dt>Secret (private: your backend signs <code>userHash</code> with it, docs/chat.md)</dt>
        <dd>
          <code id="site-secret" aria-label="Site secret">${secret ? secret.secret : '•'.repeat(16)}</code>
          <button type="button" class="button" aria-pressed=${secret ? 'true' : 'false'} @click=${() => this._reveal()}>${secret ? 'Hide secret' : 'Reveal secret'}</button>
          ${secret ? html`<button type="button" class="button" @click=${() => this._copy(secret.secret, 'Secret')}>Copy secret</button>` : nothing}
          <button type="button" class="button" @click=${() => this._rotate()}>Rotate secret</button>
          ${secret?.previousSecretValidUntil ? html`<p class="muted">The previous secret verifies until ${when(secret.previousSecretValidUntil)}.</p>` : nothing}
        </dd>
      </dl>
      <p role="status">${this._saved}</p>
      <tp-agents-settings></tp-agents-settings>
      <h2 id="new-site-h">Add a site</h2>
      <form aria-labelledby="new-site-h" class="bar" @submit=${(e: Event) => this._newSite(e)}>
        <label>Name <input name="name" required maxlength="200" /></label>
        <label>Its origin <input name="origin" required placeholder="https://shop.example" /></label>
        <button type="submit" class="button">Add site</button>
      </form>
      ${this._originsError ? html`<p role="alert">${this._originsError}</p>` : nothing}`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  /** The site's settings and deliveries; a failure is said in words with a Retry that runs this again (error-state.ts). */
  private async _load() {
    try {
      this._site ??= await currentSite();
      this._s = await api<Settings>(`/sites/${encodeURIComponent(this._site ?? '')}/settings`);
      await this._loadDeliveries();
      this._error = undefined;
    } catch (e) {
      this._error = (e as Error).message;
    }
  }

  private async _loadDeliveries() {
    this._d = await api<DeliveryReport>(`/sites/${encodeURIComponent(this._site ?? '')}/deliveries`);
  }

  private async _copy(text: string, what: string) {
    try {
      await navigator.clipboard.writeText(text);
      this._copied = `${what} copied.`;
    } catch {
      this._copied = 'Select the text and copy it.';
    }
  }

  private async _retry(ids?: string[]) {
    await api(`/sites/${encodeURIComponent(this._site ?? '')}/deliveries/retry`, ids ? { ids } : {});
    await this._loadDeliveries();
  }

  override render() {
    const s = this._s;
    if (this._error) return html`<h1>Settings</h1>${errorState(this._error, () => this._load())}`;
    if (!s) return html`<h1>Settings</h1><p class="muted">Loading…</p>`;
    const npm = `npm install touchpoint\n\nimport { createTouchpoint } from 'touchpoint';\nconst tp = createTouchpoint({ siteKey: '${s.siteKey}', endpoint: '${s.origin}' });`;
    const count = (kind: string, status: string) => this._d?.counts.find((c) => c.kind === kind && c.status === status)?.n ?? 0;
    return html`<h1>Settings · ${s.name}</h1>
      <h2>Copy your snippet</h2>
      <p class="muted">Paste it into the <code>&lt;head&gt;</code> of every page. Site key <code>${s.siteKey}</code>; the features after <code>features</code> are loaded only when used.</p>
      <pre id="snippet" aria-label="Snippet">&lt;script&gt;${s.snippet}&lt;/script&gt;</pre>
      <div class="copy">
        <button type="button" class="button" @click=${() => this._copy(`<script>${s.snippet}</script>`, 'Snippet')}>Copy snippet</button>
        <span role="status">${this._copied}</span>
      </div>
      <h2>Or import it</h2>
      <pre aria-label="npm">${npm}</pre>
      <button type="button" class="button" @click=${() => this._copy(npm, 'Import')}>Copy import</button>
      <tp-site-settings .site=${s.siteKey}></tp-site-settings>
      ${this._manage(s)}
      <h2>Integrations</h2>
      <table>
        <thead><tr><th scope="col">Kind</th><th scope="col">Where</th><th scope="col">What</th><th scope="col" class="num">Delivered</th><th scope="col" class="num">Waiting</th><th scope="col" class="num">Dead</th></tr></thead>
        <tbody>
          ${s.integrations.forward.map((f) => html`<tr><td>Forwarding (Segment-compatible)</td><td>${f.url}</td><td>every accepted event</td><td class="num">${count('forward', 'done')}</td><td class="num">${count('forward', 'pending')}</td><td class="num">${count('forward', 'dead')}</td></tr>`)}
          ${s.integrations.webhooks.map((w) => html`<tr><td>Webhook</td><td>${w.url}</td><td>${w.events.join(', ')}</td><td class="num">${count('webhook', 'done')}</td><td class="num">${count('webhook', 'pending')}</td><td class="num">${count('webhook', 'dead')}</td></tr>`)}
          ${s.integrations.channels.map((c) => html`<tr><td>Inbound channel <strong>${c.name}</strong></td><td>in: ${c.inboundUrl}<br />replies: ${c.replyUrl}</td><td>customer messages in, agent replies out</td><td class="num">${count('reply', 'done')}</td><td class="num">${count('reply', 'pending')}</td><td class="num">${count('reply', 'dead')}</td></tr>`)}
          ${!s.integrations.forward.length && !s.integrations.webhooks.length && !s.integrations.channels.length
            ? html`<tr><td colspan="6" class="muted">None configured: add webhooks and forwarding above, channels on <a href="/console/channels">Channels</a> (docs/integrations.md).</td></tr>`
            : nothing}
        </tbody>
      </table>
      <h2>Dead letters</h2>
      ${this._d?.dead.length
        ? html`<p><button type="button" class="button" @click=${() => this._retry()}>Retry all</button></p>
            <table>
              <thead><tr><th scope="col">When</th><th scope="col">Kind</th><th scope="col">Where</th><th scope="col">What</th><th scope="col">Last error</th><th scope="col" class="num">Attempts</th><th scope="col"><span class="sr-only">Action</span></th></tr></thead>
              <tbody>
                ${this._d.dead.map(
                  (d) => html`<tr>
                    <td>${when(d.createdAt)}</td><td>${d.kind}</td><td>${d.target}</td><td>${d.summary}</td><td>${d.lastError ?? ''}</td><td class="num">${d.attempts}</td>
                    <td><button type="button" class="button" @click=${() => this._retry([d.id])}>Retry</button></td>
                  </tr>`,
                )}
              </tbody>
            </table>`
        : html`<p class="muted">Nothing undeliverable.</p>`}`;
  }
}
customElements.define('tp-console-settings', TpConsoleSettings);
