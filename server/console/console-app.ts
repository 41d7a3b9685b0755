import { LitElement, html } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { api } from './api.js';
import './console-login.js';
import './console-inbox.js';
import './console-support.js';
import './console-surveys.js';
import './console-replays.js';
import './console-consent.js';
import './console-overview.js';
import './console-customers.js';
import './console-profile.js';
import './console-attribution.js';
import './console-journeys.js';
import './console-settings.js';
import './console-channels.js';
import './console-presence.js';
import './console-notify.js';

/** Console pages by path under /console/ (deep links work: the server falls back to index.html). */
const PAGES = [
  { path: '/console/', label: 'Overview', match: /^\/console\/$/, render: () => html`<tp-console-overview></tp-console-overview>` },
  { path: '/console/inbox', label: 'Inbox', match: /^\/console\/inbox/, render: () => html`<tp-console-inbox></tp-console-inbox>` },
  { path: '/console/support', label: 'Support', match: /^\/console\/support/, render: () => html`<tp-console-support></tp-console-support>` },
  // Keyed by path: each customer's page is a new element that loads its profile.
  { path: '/console/customers', label: 'Customers', match: /^\/console\/customers/, render: () => keyed(location.pathname, /^\/console\/customers\/./.test(location.pathname) ? html`<tp-console-profile></tp-console-profile>` : html`<tp-console-customers></tp-console-customers>`) },
  { path: '/console/attribution', label: 'Attribution', match: /^\/console\/attribution/, render: () => html`<tp-console-attribution></tp-console-attribution>` },
  { path: '/console/journeys', label: 'Journeys', match: /^\/console\/journeys/, render: () => html`<tp-console-journeys></tp-console-journeys>` },
  { path: '/console/surveys', label: 'Surveys', match: /^\/console\/surveys/, render: () => html`<tp-console-surveys></tp-console-surveys>` },
  // Keyed by path: a new session's player is a new element (its own Replayer).
  { path: '/console/consent', label: 'Consent', match: /^\/console\/consent/, render: () => keyed(location.search, html`<tp-console-consent></tp-console-consent>`) },
  { path: '/console/replays', label: 'Replays', match: /^\/console\/replays/, render: () => keyed(location.pathname + location.search, html`<tp-console-replays></tp-console-replays>`) },
  { path: '/console/channels', label: 'Channels', match: /^\/console\/channels/, render: () => html`<tp-console-channels></tp-console-channels>` },
  { path: '/console/settings', label: 'Settings', match: /^\/console\/settings/, render: () => html`<tp-console-settings></tp-console-settings>` },
];

/** The console shell: navigation and the current page for a signed-in agent, the sign-in form otherwise. */
export class TpConsoleApp extends LitElement {
  // Light DOM: the console's stylesheets (console.css, rrweb.css for the player) reach every page.
  protected override createRenderRoot() {
    return this;
  }
  static override properties = { _agent: { state: true }, _checked: { state: true }, _path: { state: true }, _menu: { state: true } };
  declare private _agent: { id: string; name: string } | undefined;
  declare private _checked: boolean;
  declare private _path: string;
  /** Phone widths: the navigation shows only when opened with the menu button. */
  declare private _menu: boolean;

  constructor() {
    super();
    this._checked = false;
    this._menu = false;
    this._path = location.pathname;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._check();
    this.addEventListener('tp-console-signed-in', () => void this._check());
    addEventListener('popstate', () => (this._path = location.pathname));
    // Client-side navigation for in-console links (pages link to each other: a survey row to its replay).
    this.addEventListener('click', (e) => {
      const a = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
      if (!a || a.target || e.metaKey || e.ctrlKey || e.shiftKey || a.origin !== location.origin || !a.pathname.startsWith('/console/') || a.hasAttribute('download')) return;
      if (!PAGES.some((p) => p.match.test(a.pathname))) return;
      e.preventDefault();
      history.pushState({}, '', a.href);
      this._path = location.pathname;
      this._menu = false;
    });
  }

  private async _check() {
    try {
      this._agent = (await api<{ agent: { id: string; name: string } }>('/me')).agent;
    } catch {
      this._agent = undefined;
    }
    this._checked = true;
  }

  private async _logout() {
    await api('/logout', {}).catch(() => {});
    this._agent = undefined;
  }

  override render() {
    if (!this._checked) return html``;
    if (!this._agent) return html`<tp-console-login></tp-console-login>`;
    const page = PAGES.find((p) => p.match.test(this._path)) ?? PAGES[0]!;
    return html`<header class=${this._menu ? 'top open' : 'top'}>
        <strong>Touchpoint</strong>
        <button type="button" class="menu" aria-expanded=${this._menu ? 'true' : 'false'} aria-controls="console-nav" @click=${() => (this._menu = !this._menu)}>Menu</button>
        <nav id="console-nav" aria-label="Console">
          ${PAGES.map((p) => html`<a href=${p.path} aria-current=${p === page ? 'page' : 'false'}>${p.label}</a>`)}
        </nav>
        <tp-console-presence .agentId=${this._agent.id}></tp-console-presence>
        <tp-console-notify></tp-console-notify>
        <span class="who">${this._agent.name}</span>
        <button type="button" @click=${() => this._logout()}>Sign out</button>
      </header>
      <main>${page.render()}</main>`;
  }
}
customElements.define('tp-console-app', TpConsoleApp);
