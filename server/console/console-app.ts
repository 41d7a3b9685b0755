import { LitElement, html } from 'lit';
import { api } from './api.js';
import './console-login.js';
import './console-inbox.js';

/** The console shell: the inbox for a signed-in agent, the sign-in form otherwise. */
export class TpConsoleApp extends LitElement {
  static override properties = { _agent: { state: true }, _checked: { state: true } };
  declare private _agent: { name: string } | undefined;
  declare private _checked: boolean;

  constructor() {
    super();
    this._checked = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._check();
    this.addEventListener('tp-console-signed-in', () => void this._check());
  }

  private async _check() {
    try {
      this._agent = (await api<{ agent: { name: string } }>('/me')).agent;
    } catch {
      this._agent = undefined;
    }
    this._checked = true;
  }

  override render() {
    if (!this._checked) return html``;
    return this._agent ? html`<tp-console-inbox></tp-console-inbox>` : html`<tp-console-login></tp-console-login>`;
  }
}
customElements.define('tp-console-app', TpConsoleApp);
