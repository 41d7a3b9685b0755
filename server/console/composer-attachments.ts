import { LitElement, css, html } from 'lit';
import { ATTACHMENT_BYTES, ATTACHMENT_TYPES, type ChatEvent } from 'touchpoint/protocol';
import { explainError } from './api.js';

/**
 * The inbox composer's attach control: an agent sends an image or a PDF
 * (docs/console.md#attachments) to the conversation, which the customer sees
 * in the chat panel. Checked here (type, size) so the agent hears at once,
 * then by the server, which believes only the bytes. The message arrives in
 * the transcript by the agent stream like any other; `tp-attached` carries
 * the events the server answered with.
 */
export class TpComposerAttach extends LitElement {
  static override styles = css`
    :host { display: flex; align-items: center; gap: 0.5rem; padding: 0 0.75rem 0.75rem; }
    button { font: inherit; min-height: 44px; min-width: 44px; padding: 0 0.75rem; border: 1px solid #8c959f; border-radius: 6px; background: #fff; cursor: pointer; }
    [role='status'] { color: #57606a; font-size: 0.85rem; }
  `;

  static override properties = { conversationId: { type: String }, _status: { state: true } };

  declare conversationId: string;
  declare private _status: string;

  constructor() {
    super();
    this.conversationId = '';
    this._status = '';
  }

  private async _send(input: HTMLInputElement) {
    const file = input.files?.[0];
    input.value = '';
    if (!file || !this.conversationId) return;
    if (!(ATTACHMENT_TYPES as readonly string[]).includes(file.type)) return void (this._status = 'Only images (PNG, JPEG, GIF, WebP) and PDFs can be sent.');
    if (file.size > ATTACHMENT_BYTES) return void (this._status = `Files can be up to ${ATTACHMENT_BYTES / 1024 ** 2} MB.`);
    this._status = `Sending ${file.name}…`;
    const q = `clientId=${encodeURIComponent(crypto.randomUUID())}&name=${encodeURIComponent(file.name)}`;
    try {
      const res = await fetch(`/v1/agent/conversations/${encodeURIComponent(this.conversationId)}/attachments?${q}`, { method: 'POST', headers: { 'content-type': file.type }, body: file });
      const body = (await res.json().catch(() => undefined)) as { events?: ChatEvent[]; error?: { message?: string } } | undefined;
      if (!res.ok) return void (this._status = explainError(res.status, body?.error?.message));
      this._status = '';
      this.dispatchEvent(new CustomEvent('tp-attached', { detail: { events: body?.events ?? [] }, bubbles: true, composed: true }));
    } catch {
      this._status = explainError(0, undefined);
    }
  }

  override render() {
    return html`<input id="file" type="file" hidden accept=${ATTACHMENT_TYPES.join(',')} @change=${(e: Event) => void this._send(e.target as HTMLInputElement)} />
      <button type="button" @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#file')!.click()}>Attach a file</button>
      <span role="status">${this._status}</span>`;
  }
}

customElements.define('tp-composer-attach', TpComposerAttach);

declare global {
  interface HTMLElementTagNameMap {
    'tp-composer-attach': TpComposerAttach;
  }
}
