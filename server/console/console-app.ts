import { LitElement, css, html } from 'lit';
import { api } from './api.js';
import './console-login.js';
import './console-inbox.js';
import './console-surveys.js';

/** Console pages by path under /console/ (deep links work: the server falls back to index.html). */
const PAGES = [
  { path: '/console/', label: 'Inbox', match: /^\/console\/(inbox)?$/, render: () => html`<tp-console-inbox></tp-console-inbox>` },
  { path: '/console/surveys', label: 'Surveys', match: /^\/console\/surveys/, render: () => html`<tp-console-surveys></tp-console-surveys>` },
];

/** The console shell: navigation and the current page for a signed-in agent, the sign-in form otherwise. */
export class TpConsoleApp extends LitElement {
  static override styles = css`
    :host { display: grid; grid-template-rows: auto 1fr; min-height: 100vh; }
    .top { display: flex; align-items: center; gap: 1rem; padding: 0 1rem; height: 3rem; background: #1b1f23; color: #fff; }
    .top strong { font-size: 1rem; }
    .top nav { display: flex; gap: 0.25rem; flex: 1; }
    .top a { color: #fff; text-decoration: none; padding: 0.75rem 0.75rem; border-bottom: 3px solid transparent; }
    .top a[aria-current='page'] { border-bottom-color: #4ac26b; font-weight: 600; }
    .top a:focus-visible, .top button:focus-visible { outline: 3px solid #79c0ff; outline-offset: -3px; }
    .top button { font: inherit; background: none; border: 1px solid #8c959f; color: #fff; border-radius: 6px; padding: 0.25rem 0.75rem; cursor: pointer; }
    main { min-width: 0; }
  `;
  static override properties = { _agent: { state: true }, _checked: { state: true }, _path: { state: true } };
  declare private _agent: { name: string } | undefined;
  declare private _checked: boolean;
  declare private _path: string;

  constructor() {
    super();
    this._checked = false;
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
    });
  }

  private async _check() {
    try {
      this._agent = (await api<{ agent: { name: string } }>('/me')).agent;
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
    return html`<header class="top">
        <strong>Touchpoint</strong>
        <nav aria-label="Console">
          ${PAGES.map((p) => html`<a href=${p.path} aria-current=${p === page ? 'page' : 'false'}>${p.label}</a>`)}
        </nav>
        <span>${this._agent.name}</span>
        <button type="button" @click=${() => this._logout()}>Sign out</button>
      </header>
      <main>${page.render()}</main>`;
  }
}
customElements.define('tp-console-app', TpConsoleApp);
