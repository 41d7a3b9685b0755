import { LitElement, css, html } from 'lit';
import { api, ApiError } from './api.js';

/** Agent sign-in. Fires `tp-console-signed-in` on success. */
export class TpConsoleLogin extends LitElement {
  static override styles = css`
    form { max-width: 22rem; margin: 15vh auto; display: grid; gap: 0.75rem; background: #fff; padding: 1.5rem; border-radius: 12px; border: 1px solid #d0d7de; }
    h1 { font-size: 1.25rem; margin: 0; }
    label { display: grid; gap: 0.25rem; }
    input { font: inherit; font-size: 16px; padding: 0.5rem; border: 1px solid #8c959f; border-radius: 6px; }
    button { font: inherit; padding: 0.6rem; border: 0; border-radius: 6px; background: #0b6e4f; color: #fff; font-weight: 600; cursor: pointer; }
    [role='alert'] { color: #b3261e; margin: 0; }
  `;
  static override properties = { _error: { state: true } };
  declare private _error: string;

  constructor() {
    super();
    this._error = '';
  }

  private async _submit(e: Event) {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    try {
      await api('/login', { email: f.get('email'), password: f.get('password') });
      this.dispatchEvent(new CustomEvent('tp-console-signed-in', { bubbles: true, composed: true }));
    } catch (err) {
      this._error = err instanceof ApiError && err.status === 401 ? 'Wrong email or password.' : 'Could not sign in; try again.';
    }
  }

  override render() {
    return html`<form @submit=${this._submit}>
      <h1>Touchpoint console</h1>
      <label>Email <input name="email" type="email" autocomplete="username" required /></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
      <p role="alert">${this._error}</p>
      <button>Sign in</button>
    </form>`;
  }
}
customElements.define('tp-console-login', TpConsoleLogin);
