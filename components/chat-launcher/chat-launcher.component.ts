import { html, nothing } from 'lit';
import { TouchpointElement } from '../internal/touchpoint-element.js';
import { componentStyles } from '../internal/component.styles.js';
import { directionOf, loadStrings, translate, pageLocale, type Strings } from '../i18n/i18n.js';
import { enChat } from '../i18n/chat/en.js';
import { chatLocales } from '../i18n/chat/locales.js';
import type { ChatEvent } from 'touchpoint/protocol';
import type { Touchpoint } from 'touchpoint';
import { hasStoredConversation, onStoredConversation } from 'touchpoint/chat';
import styles from './chat-launcher.styles.js';

/** What the lazy panel exposes to its launcher. */
export interface ChatPanelElement extends HTMLElement {
  siteKey: string;
  endpoint: string;
  strings: Partial<Strings>;
  locale: string | undefined;
  active: boolean;
  focusComposer(): void;
}

/**
 * @summary Live-chat launcher: a button with an unread badge that costs almost nothing until the visitor shows
 * intent (hover, focus, click) — then the conversation panel loads. Bot → human hand-off, resumable realtime.
 * It publishes the height its button takes as `--tp-chat-offset` on `<html>`, so a floating survey on a phone sits above it.
 *
 * @slot launcher - Replace the round button with your own element; clicking it toggles the chat.
 *
 * @event tp-chat-open - The panel opened.
 * @event tp-chat-close - The panel closed.
 * @event tp-chat-message - A message from an agent, the bot or the system arrived: `detail` is the chat event.
 * @event tp-chat-unread-change - The unread count changed: `detail` is `{ count }`.
 * @event tp-chat-handoff - The bot handed the conversation to a person: `detail` is `{ conversationId }` (replay keeps the moment).
 * @event tp-chat-conversation-close - An agent closed the conversation: `detail` is `{ conversationId }` (surveys with `trigger.chatClosed` listen).
 *
 * @csspart button - The round launcher button.
 * @csspart badge - The unread count.
 * @csspart panel - The conversation panel.
 *
 * @cssproperty --tp-color-accent - Launcher and visitor bubbles.
 * @cssproperty --tp-chat-launcher-size - Diameter of the button.
 * @cssproperty --tp-chat-launcher-color - Icon colour.
 * @cssproperty --tp-chat-badge-background - Unread badge.
 * @cssproperty --tp-z-index - Base stacking layer shared by all Touchpoint elements.
 * @cssproperty --tp-consent-offset - Set on `<html>` by `<tp-consent-banner>` while it shows; the button sits above it.
 */
export class TpChatLauncher extends TouchpointElement {
  static override styles = [componentStyles, styles];

  static override properties = {
    siteKey: { attribute: 'site-key' },
    endpoint: {},
    userId: { attribute: 'user-id' },
    userHash: { attribute: 'user-hash' },
    locale: {},
    strings: { type: Object },
    sdk: { attribute: false },
    isOpen: { type: Boolean, reflect: true, attribute: 'open' },
    unread: { type: Number, attribute: false },
    _t: { state: true },
    _loaded: { state: true },
    _prompt: { state: true },
  };

  /** Site key; defaults to the SDK's when the script tag loaded the element. */
  declare siteKey: string;
  /** Backend base URL; defaults to the page's origin. */
  declare endpoint: string;
  /** A signed-in user's id, with `userHash` from your backend: conversations then follow the user across devices. */
  declare userId: string | undefined;
  /** HMAC-SHA256 of `userId` with the site secret (docs/chat.md#verified-identity-continuing-across-devices). */
  declare userHash: string | undefined;
  declare locale: string | undefined;
  declare strings: Partial<Strings>;
  /** The SDK instance to chat as (its anonymous id, session, consent); by default the script tag's `window.touchpoint` (docs/chat.md). */
  declare sdk: Touchpoint | undefined;
  /** Whether the panel is open (the `open` attribute reflects it; use `open()`/`close()` to change it). */
  declare isOpen: boolean;
  /** Messages arrived while the panel was closed (read-only). */
  declare unread: number;
  declare private _t: Strings;
  declare private _loaded: boolean;
  declare private _prompt: string | undefined;
  private _panel: Promise<void> | undefined;
  private _unwatch: (() => void) | undefined;

  constructor() {
    super();
    this.siteKey = '';
    this.endpoint = '';
    this.strings = {};
    this.isOpen = false;
    this.unread = 0;
    this._t = enChat as Strings;
    this._loaded = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void loadStrings(this.locale ?? pageLocale(), enChat, chatLocales).then((t) => (this._t = t));
    // A remembered conversation can receive messages: connect at idle, before any intent.
    if (hasStoredConversation()) (globalThis.requestIdleCallback ?? setTimeout)(() => this._load());
    // …or as soon as another tab of this browser starts one.
    else this._unwatch = onStoredConversation(() => void this._load().catch(() => {}));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._unwatch?.();
    document.documentElement.style.removeProperty('--tp-chat-offset');
  }

  protected override firstUpdated(): void {
    // The stacking contract: publish the height the button takes at the bottom, so a floating survey on a
    // phone sits above it rather than under it (measured in the next frame, whose layout is due anyway).
    requestAnimationFrame(() => {
      const h = this.renderRoot.querySelector<HTMLElement>('.launcher')?.offsetHeight;
      if (h && this.isConnected) document.documentElement.style.setProperty('--tp-chat-offset', `calc(${h}px + 0.5rem)`);
    });
  }

  private _s(key: string, vars?: Record<string, string | number>) {
    return translate(this.strings, this._t, key, vars);
  }

  /** Loads the panel (once). Called on intent; safe to call any time. */
  private _load(): Promise<void> {
    return (this._panel ??= import('./chat-panel.js').then(() => {
      this._loaded = true;
    }));
  }

  /**
   * Opens the chat (loading the panel if needed) and puts focus in the composer. `message`: shown as
   * the bot's first message in place of the greeting while the conversation is empty (a help rule's).
   */
  async open(options: { message?: string } = {}): Promise<void> {
    await this._load();
    if (options.message) this._prompt = options.message;
    this.isOpen = true;
    this._setUnread(0);
    await this.updateComplete;
    this.renderRoot.querySelector<ChatPanelElement>('tp-chat-panel')?.focusComposer();
    this.emit('tp-chat-open');
  }

  /** Closes the panel; focus returns to the launcher. */
  close(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.renderRoot.querySelector<HTMLButtonElement>('.button')?.focus();
    this.emit('tp-chat-close');
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else void this.open();
  }

  private _setUnread(n: number) {
    if (n === this.unread) return;
    this.unread = n;
    this.emit('tp-chat-unread-change', { count: n });
  }

  private _onMessage(e: CustomEvent<ChatEvent>) {
    // The panel's own event is re-emitted from the host so pages listen in one place.
    e.stopPropagation();
    this.emit('tp-chat-message', e.detail);
  }

  override render() {
    const lang = this.locale ?? pageLocale();
    const label = this.unread ? this._s('chatOpenUnread', { n: this.unread }) : this._s('chatOpen');
    const intent = () => void this._load().catch(() => {});
    return html`
      <div class="launcher" dir=${directionOf(lang)} @pointerenter=${intent} @focusin=${intent}>
        <slot name="launcher" @click=${() => this.toggle()}>
          <button type="button" class="button" part="button" aria-label=${label} aria-expanded=${this.isOpen ? 'true' : 'false'} aria-controls="panel">
            <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" /></svg>
            ${this.unread ? html`<span class="badge" part="badge" aria-hidden="true">${this.unread}</span>` : nothing}
          </button>
        </slot>
      </div>
      ${this._loaded
        ? html`<tp-chat-panel
            id="panel"
            part="panel"
            .siteKey=${this.siteKey}
            .endpoint=${this.endpoint}
            .userId=${this.userId}
            .userHash=${this.userHash}
            .strings=${this.strings}
            .sdk=${this.sdk}
            .locale=${this.locale}
            .active=${this.isOpen}
            .prompt=${this._prompt}
            ?hidden=${!this.isOpen}
            @tp-chat-panel-close=${() => this.close()}
            @tp-chat-panel-message=${(e: CustomEvent<ChatEvent>) => this._onMessage(e)}
            @tp-chat-panel-unread=${(e: CustomEvent<{ count: number }>) => this._setUnread(this.isOpen ? 0 : e.detail.count)}
          ></tp-chat-panel>`
        : nothing}
    `;
  }
}
