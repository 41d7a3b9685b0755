import { LitElement, css, html, nothing } from 'lit';
import { api } from './api.js';
import { fillPlaceholders, shortcutQuery, type PlaceholderContext } from './canned-placeholders.js';
import type { CannedReply } from '../repositories/canned-replies.js';

/** What the composer sends: a reply to the customer, or a private note for agents. */
export interface ComposeDetail {
  body: string;
  note: boolean;
}

/**
 * The inbox's composer: a reply or a private note (a toggle, and the box
 * says which), and canned replies — "/" at the start lists the site's
 * shortcuts, ↑/↓ choose, Enter or Tab inserts the reply with its
 * placeholders filled. Emits `tp-compose` with `ComposeDetail`.
 */
export class TpInboxComposer extends LitElement {
  static override styles = css`
    :host { display: block; border-top: 1px solid #d0d7de; position: relative; }
    :host([note]) form { background: #fff8c5; }
    .modes { display: flex; gap: 0.25rem; padding: 0.5rem 0.75rem 0; }
    .modes button { font: inherit; font-size: 0.85rem; border: 1px solid #d0d7de; background: #fff; border-radius: 1rem; padding: 0.15rem 0.75rem; cursor: pointer; }
    .modes button[aria-pressed='true'] { background: #24292f; color: #fff; border-color: #24292f; }
    form { display: flex; gap: 0.5rem; padding: 0.5rem 0.75rem 0.75rem; }
    textarea { flex: 1; font: inherit; font-size: 16px; padding: 0.5rem; border: 1px solid #8c959f; border-radius: 6px; resize: vertical; }
    .primary { font: inherit; border-radius: 6px; padding: 0.5rem 1rem; cursor: pointer; font-weight: 600; border: 0; background: #0b6e4f; color: #fff; }
    :host([note]) .primary { background: #7d4e00; }
    [role='listbox'] { position: absolute; inset-inline: 0.75rem; bottom: 100%; margin: 0; padding: 0.25rem 0; list-style: none; background: #fff; border: 1px solid #8c959f; border-radius: 6px; max-height: 12rem; overflow: auto; box-shadow: 0 4px 12px rgb(0 0 0 / 0.12); }
    [role='option'] { padding: 0.35rem 0.75rem; cursor: pointer; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    [role='option'][aria-selected='true'] { background: #ddf4ff; }
    .hint { color: #57606a; font-size: 0.8rem; }
    .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  `;

  static override properties = {
    siteKey: { type: String },
    context: { attribute: false },
    note: { type: Boolean, reflect: true },
    _replies: { state: true },
    _matches: { state: true },
    _active: { state: true },
  };
  declare siteKey: string;
  /** Who the placeholders name: the customer, the agent, the conversation. */
  declare context: PlaceholderContext;
  declare note: boolean;
  declare private _replies: CannedReply[];
  declare private _matches: CannedReply[];
  declare private _active: number;
  private _loadedFor = '';

  constructor() {
    super();
    this.siteKey = '';
    this.context = { customer: {}, agent: {}, conversation: {} };
    this.note = false;
    this._replies = [];
    this._matches = [];
    this._active = 0;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('siteKey') && this.siteKey && this.siteKey !== this._loadedFor) {
      this._loadedFor = this.siteKey;
      void api<{ replies: CannedReply[] }>(`/sites/${encodeURIComponent(this.siteKey)}/canned-replies`).then(
        (r) => (this._replies = r.replies),
        () => (this._replies = []),
      );
    }
  }

  get box(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('textarea');
  }

  override focus(): void {
    this.box?.focus();
  }

  private _onInput() {
    const q = shortcutQuery(this.box!.value);
    this._matches = q === undefined ? [] : this._replies.filter((r) => r.shortcut.startsWith(q)).slice(0, 8);
    this._active = 0;
  }

  private _pick(r: CannedReply) {
    const box = this.box!;
    box.value = fillPlaceholders(r.body, this.context);
    this._matches = [];
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  }

  private _onKey(e: KeyboardEvent) {
    if (this._matches.length) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        this._active = (this._active + (e.key === 'ArrowDown' ? 1 : this._matches.length - 1)) % this._matches.length;
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        this._pick(this._matches[this._active]!);
        return;
      }
      if (e.key === 'Escape') {
        this._matches = [];
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) this._send(e);
  }

  private _send(e: Event) {
    e.preventDefault();
    const box = this.box!;
    const body = box.value.trim();
    if (!body) return;
    box.value = '';
    this._matches = [];
    this.dispatchEvent(new CustomEvent<ComposeDetail>('tp-compose', { detail: { body, note: this.note }, bubbles: true, composed: true }));
  }

  override render() {
    const open = this._matches.length > 0;
    return html`
      <div class="modes" role="group" aria-label="Write">
        <button type="button" aria-pressed=${this.note ? 'false' : 'true'} @click=${() => (this.note = false)}>Reply</button>
        <button type="button" aria-pressed=${this.note ? 'true' : 'false'} @click=${() => (this.note = true)}>Private note</button>
        <span class="hint" role="status">${this.note ? 'Only agents see notes.' : open ? `${this._matches.length} canned ${this._matches.length === 1 ? 'reply' : 'replies'}: ↑ ↓ to choose, Enter to insert.` : this._replies.length ? 'Type / for canned replies.' : ''}</span>
      </div>
      ${open
        ? html`<ul role="listbox" id="canned" aria-label="Canned replies">
            ${this._matches.map(
              (r, i) =>
                html`<li role="option" id=${`canned-${i}`} aria-selected=${i === this._active ? 'true' : 'false'} @mousedown=${(e: Event) => (e.preventDefault(), this._pick(r))}>
                  <strong>/${r.shortcut}</strong> ${r.body}
                </li>`,
            )}
          </ul>`
        : nothing}
      <form @submit=${this._send}>
        <label for="reply" class="sr-only">${this.note ? 'Private note' : 'Reply'}</label>
        <textarea
          id="reply"
          rows="2"
          aria-autocomplete="list"
          aria-controls=${open ? 'canned' : nothing}
          aria-activedescendant=${open ? `canned-${this._active}` : nothing}
          @input=${this._onInput}
          @keydown=${this._onKey}
        ></textarea>
        <button class="primary">${this.note ? 'Add note' : 'Send'}</button>
      </form>
    `;
  }
}
customElements.define('tp-inbox-composer', TpInboxComposer);
