import { LitElement, css, html, type TemplateResult } from 'lit';

/**
 * The console's one error state: what went wrong, in words (api.ts has
 * already turned statuses into sentences — never a raw "boom"), and a Retry
 * button that runs the page's own load again. Its own shadow styles, so it
 * looks the same on shadow-DOM and light-DOM pages.
 */
export class TpErrorState extends LitElement {
  static override styles = css`
    :host { display: block; margin: 0.75rem 0; }
    .box { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; padding: 0.75rem 1rem; border: 1px solid #ff8182; border-radius: 8px; background: #ffebe9; color: #82071e; }
    p { margin: 0; flex: 1 1 20rem; }
    button { font: inherit; font-weight: 600; padding: 0.35rem 0.9rem; border: 1px solid #82071e; border-radius: 6px; background: #fff; color: #82071e; cursor: pointer; }
    button:focus-visible { outline: 3px solid #0969da; outline-offset: 2px; }
  `;
  static override properties = { message: {}, retry: { attribute: false } };
  declare message: string;
  declare retry: (() => unknown) | undefined;

  override render() {
    return html`<div class="box">
      <p role="alert"><strong>Could not load this.</strong> ${this.message}</p>
      ${this.retry ? html`<button type="button" @click=${() => this.retry?.()}>Retry</button>` : ''}
    </div>`;
  }
}
if (!customElements.get('tp-error-state')) customElements.define('tp-error-state', TpErrorState);

/** `${errorState(this._error, () => this._load())}` where a page showed `<p role="alert">`. */
export const errorState = (message: string, retry?: () => unknown): TemplateResult => html`<tp-error-state .message=${message} .retry=${retry}></tp-error-state>`;
