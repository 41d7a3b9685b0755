import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { TouchpointElement } from '../internal/touchpoint-element.js';
import { componentStyles } from '../internal/component.styles.js';
import { directionOf, loadStrings, translate, pageLocale, type Strings } from '../i18n/i18n.js';
import { formatIsolated } from '../i18n/format-isolated.js';
import { enChat } from '../i18n/chat/en.js';
import { chatLocales } from '../i18n/chat/locales.js';
import { ChatClient } from 'touchpoint/chat';
import { ATTACHMENT_BYTES, ATTACHMENT_TYPES, type ChatAttachment, type ChatEvent, type SiteConfig } from 'touchpoint/protocol';
import type { Touchpoint } from 'touchpoint';
import { sdkFor } from 'touchpoint/host';
import styles from './chat-panel.styles.js';

const URL_RE = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/gi;

/**
 * Message text with links made clickable — as lit text and attribute
 * bindings, never innerHTML, so any markup in a message renders inert.
 */
export const linkify = (text: string): (string | TemplateResult)[] => {
  const out: (string | TemplateResult)[] = [];
  let at = 0;
  for (const m of text.matchAll(URL_RE)) {
    out.push(text.slice(at, m.index));
    out.push(html`<a href=${m[0]} target="_blank" rel="noopener noreferrer nofollow">${m[0]}</a>`);
    at = m.index! + m[0].length;
  }
  out.push(text.slice(at));
  return out;
};

const EMBED = /[\u202a\u202b\u202d\u202e]/;

/**
 * Message text with its explicit embeddings and overrides (U+202A/B/D/E … U+202C) isolated, so
 * none can reorder the text around it; one never closed is dropped, as what it would reverse runs to
 * the end of the line (`invoice_\u202Efdp.exe` shown as `invoice_exe.pdf` is the spoofing look).
 */
export const isolateOverrides = (text: string): string =>
  text
    .split('\n')
    .map((line) => {
      let out = '';
      const open: number[] = [];
      for (const ch of line) {
        if (EMBED.test(ch)) {
          open.push(out.length);
          out += ch;
        } else if (ch === '\u202c') {
          const at = open.pop();
          // First strong isolate … pop directional isolate around the run.
          if (at !== undefined) out = `${out.slice(0, at)}\u2068${out.slice(at)}\u202c\u2069`;
        } else out += ch;
      }
      for (const at of open.reverse()) out = out.slice(0, at) + out.slice(at + 1);
      return out;
    })
    .join('\n');

/**
 * The conversation panel of `<tp-chat-launcher>`, loaded on intent. Not meant
 * to be used alone.
 */
export class TpChatPanel extends TouchpointElement {
  static override styles = [componentStyles, styles];
  static override properties = {
    siteKey: {},
    endpoint: {},
    userId: {},
    userHash: {},
    locale: {},
    strings: { type: Object },
    active: { type: Boolean },
    sdk: { attribute: false },
    _upload: { state: true },
    prompt: {},
    _t: { state: true },
    _rev: { state: true },
    _email: { state: true },
    _site: { state: true },
  };

  declare siteKey: string;
  declare endpoint: string;
  declare userId: string | undefined;
  declare userHash: string | undefined;
  declare locale: string | undefined;
  declare strings: Partial<Strings>;
  /** The panel is showing (messages count as read). */
  declare active: boolean;
  /** The SDK instance (the launcher's `sdk`); without one, the script tag's (`sdkFor`, touchpoint/host). */
  declare sdk: Touchpoint | undefined;
  /** What the attach control says now: the file being sent, or why it was not. */
  declare private _upload: string | (string | TemplateResult)[] | undefined;
  /** Signed URLs of files shown, by `seq/index` (they carry the visitor token, fetched once). */
  private _urls = new Map<string, string>();
  /** A help rule's message, shown in place of the greeting while the conversation is empty. */
  declare prompt: string | undefined;
  declare private _t: Strings;
  declare private _rev: number;
  declare private _email: string | undefined;
  /** Greeting, business hours and presence from the site config. */
  declare private _site: SiteConfig['chat'];
  client: ChatClient | undefined;
  private _typingTimer: ReturnType<typeof setTimeout> | undefined;
  private _typing = false;

  constructor() {
    super();
    this.siteKey = '';
    this.endpoint = '';
    this.strings = {};
    this.active = false;
    this._t = enChat as Strings;
    this._rev = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void loadStrings(this.locale ?? pageLocale(), enChat, chatLocales).then((t) => (this._t = t));
    if (this.client) return;
    // The SDK given by property, else the script tag's (docs/chat.md): the element's own anonymous id and storage without one.
    const sdk = sdkFor(this.sdk);
    this.client = new ChatClient({
      endpoint: this.endpoint || location.origin,
      // The launcher's site-key (the script tag sets it from its data-site-key): the SDK object has none to fall back on.
      siteKey: this.siteKey,
      anonymousId: () => sdk?.anonymousId ?? '',
      identity: () => (this.userId && this.userHash ? { userId: this.userId, userHash: this.userHash } : undefined),
      // With the SDK, the chat is remembered only when consent allows functional storage.
      mayStore: () => (sdk ? sdk.consent.granted('functional') : true),
      sessionId: () => sdk?.sessionId,
    });
    this.client.on('change', () => {
      this._rev++;
      if (this.active) void this.client!.markRead();
      // The count is derived from the conversation, so every tab shows the same one.
      this.emit('tp-chat-panel-unread', { count: this.client!.unread });
    });
    void this.client.settings().then((c) => (this._site = c));
    this.client.on('message', (e) => this.emit('tp-chat-panel-message', e));
    // Composed: reaches the document (the survey trigger) from inside the launcher's shadow root.
    this.client.on('closed', (conversationId) => this.emit('tp-chat-conversation-close', { conversationId }));
    this.client.on('handoff', (conversationId) => this.emit('tp-chat-handoff', { conversationId }));
    sdk?.on('reset', () => this.client?.reset());
    void this.client.resume();
  }

  protected override updated(changed: PropertyValues<this>): void {
    const log = this.renderRoot.querySelector('.log');
    if (log) log.scrollTop = log.scrollHeight;
    if (changed.has('active') && this.active) void this.client?.markRead();
  }

  focusComposer(): void {
    void this.updateComplete.then(() => this.renderRoot.querySelector('textarea')?.focus());
  }

  private _s(key: string, vars?: Record<string, string | number>) {
    return translate(this.strings, this._t, key, vars);
  }

  /** A sentence around others' text (names, addresses, hours): each value isolated in a `<bdi>`. */
  private _si(key: string, vars: Record<string, string | number>) {
    return formatIsolated(this._s(key), vars);
  }

  private _who(e: ChatEvent) {
    const a = e.author;
    return a.kind === 'visitor' ? this._s('chatYou') : a.kind === 'bot' ? (a.name ?? this._s('chatAssistant')) : a.kind === 'system' ? '' : (a.name ?? this._s('chatSomeone'));
  }

  private _time(iso: string) {
    try {
      return new Date(iso).toLocaleTimeString(this.locale ?? pageLocale(), { hour: '2-digit', minute: '2-digit' });
    } catch {
      return '';
    }
  }

  private _send(e?: Event) {
    e?.preventDefault();
    const box = this.renderRoot.querySelector('textarea')!;
    const text = box.value;
    if (!text.trim()) return;
    box.value = '';
    this._stopTyping();
    void this.client!.send(text);
  }

  private _onKey(e: KeyboardEvent) {
    // Enter sends, Shift+Enter breaks the line; never while an IME composes (Chinese input).
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) this._send(e);
    else if (e.key === 'Escape') this.emit('tp-chat-panel-close');
  }

  private _onInput() {
    if (!this._typing) {
      this._typing = true;
      void this.client!.typing(true);
    }
    clearTimeout(this._typingTimer);
    this._typingTimer = setTimeout(() => this._stopTyping(), 3_000);
  }

  private _stopTyping() {
    clearTimeout(this._typingTimer);
    if (this._typing) {
      this._typing = false;
      void this.client!.typing(false);
    }
  }

  /** A message's files: images as the server's thumbnail (else the image itself) opening the original, PDFs as links. */
  private _files(e: ChatEvent) {
    return ((e.data?.attachments as ChatAttachment[] | undefined) ?? []).map((a, i) => {
      const key = `${e.seq}/${i}`;
      const url = this._urls.get(key);
      if (url === undefined) {
        this._urls.set(key, '');
        void this.client!.attachmentUrl(e.seq, i).then(
          (u) => (this._urls.set(key, u), this._rev++),
          () => this._urls.delete(key),
        );
      }
      if (!url) return nothing;
      return a.contentType.startsWith('image/')
        ? // The thumbnail's URL is the file's with `/thumbnail` before the query (docs/protocol.md §10.3).
          html`<a class="file" href=${url} target="_blank" rel="noopener"><img src=${a.thumbnail ? url.replace('?', '/thumbnail?') : url} alt=${a.filename} loading="lazy" /></a>`
        : html`<a class="file" href=${url} target="_blank" rel="noopener" dir="auto">${a.filename}</a>`;
    });
  }

  /** Sends the file picked: checked here first (size, type) so the visitor hears at once, then by the server. */
  private async _attach(input: HTMLInputElement) {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    if (file.size > ATTACHMENT_BYTES) return void (this._upload = this._si('chatAttachTooBig', { size: `${ATTACHMENT_BYTES / 1024 ** 2} MB` }));
    if (!(ATTACHMENT_TYPES as readonly string[]).includes(file.type)) return void (this._upload = this._s('chatAttachType'));
    this._upload = this._si('chatUploading', { name: file.name });
    try {
      await this.client!.attach(file);
      this._upload = undefined;
    } catch (e) {
      const status = (e as { status?: number }).status;
      this._upload = status === 415 ? this._s('chatAttachType') : status === 413 ? this._si('chatAttachTooBig', { size: `${ATTACHMENT_BYTES / 1024 ** 2} MB` }) : this._s('chatAttachFailed');
    }
  }

  private _statusLine() {
    const c = this.client!;
    // Presence from the stream once it has spoken (live), else from the site config.
    const online = c.agentsOnline ?? this._site?.online;
    if (c.status === 'pending') return online === false ? this._s('chatAway') : this._s('chatWaiting');
    if (c.status === 'open') {
      const agent = [...c.events].reverse().find((e) => e.author.kind === 'agent');
      return agent?.author.name ? this._si('chatWith', { name: agent.author.name }) : '';
    }
    if (c.status === 'closed') return this._s('chatClosed');
    if (online) return this._s('chatOnline');
    return this._site?.businessHours ? this._si('chatHours', { hours: this._site.businessHours }) : '';
  }

  override render() {
    const c = this.client;
    if (!c) return nothing;
    void this._rev;
    const lang = this.locale ?? pageLocale();
    const messages = c.events.filter((e) => e.kind === 'message' && (e.body || e.data?.attachments));
    const askEmail = c.events.some((e) => e.data?.askEmail) && !c.events.some((e) => e.kind === 'email');
    const emailed = c.events.filter((e) => e.kind === 'email').at(-1)?.data?.email as string | undefined;
    // "Seen" under the visitor's latest message once a person has read it.
    const seenUpTo = Math.max(0, ...c.events.filter((e) => e.kind === 'read' && e.author.kind === 'agent').map((e) => Number(e.data?.seq) || 0));
    const lastMine = messages.filter((e) => e.author.kind === 'visitor').at(-1);
    const greeting = !messages.length && !c.pending.length && (this.prompt || this._site?.greeting);
    // The server said no one is available (and asked for an e-mail, with the hours): the log says so once; the status line says
    // nothing else — until presence says someone came online, when it says a person is coming.
    const noOne = c.status === 'pending' && c.events.some((e) => e.data?.askEmail) && !(c.agentsOnline ?? this._site?.online);
    return html`
      <section class="panel" role="dialog" aria-modal="false" aria-labelledby="title" dir=${directionOf(lang)} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.emit('tp-chat-panel-close')}>
        <header>
          <div class="heading">
            <h2 id="title">${this._s('chatTitle')}</h2>
            <p class="status">${noOne ? '' : this._statusLine()}</p>
          </div>
          <button type="button" class="close" aria-label=${this._s('chatClose')} @click=${() => this.emit('tp-chat-panel-close')}>×</button>
        </header>
        <!-- Focusable: keyboard users scroll the history (axe scrollable-region-focusable). -->
        <div class="log" role="log" aria-live="polite" aria-label=${this._s('chatMessages')} tabindex="0">
          ${greeting ? html`<div class="msg bot"><span class="text" dir="auto">${linkify(greeting)}</span></div>` : nothing}
          ${messages.map(
            (e) => html`<div class="msg ${e.author.kind}">
              ${e.author.kind === 'system' ? nothing : html`<bdi class="who">${this._who(e)}</bdi>`}${e.body ? html`<span class="text" dir="auto">${linkify(isolateOverrides(e.body))}</span>` : nothing}${this._files(e)}
              <span class="meta"><time datetime=${e.createdAt}>${this._time(e.createdAt)}</time>${e === lastMine && seenUpTo >= e.seq ? html` · ${this._s('chatSeen')}` : nothing}</span>
            </div>`,
          )}
          ${c.pending.map(
            (p) => html`<div class="msg visitor" aria-busy=${p.state === 'sending' ? 'true' : 'false'}>
              <span class="who">${this._s('chatYou')}</span><span class="text" dir="auto">${linkify(isolateOverrides(p.body))}</span>
              <span class="meta">${p.state === 'sending' ? this._s('chatSending') : html`${this._s('chatFailed')}<button type="button" class="retry" @click=${() => c.retry(p.clientId)}>${this._s('chatRetry')}</button>`}</span>
            </div>`,
          )}
        </div>
        ${this._upload ? html`<p class="typing upload" role="status">${this._upload}</p>` : nothing}
        <p class="typing" role="status">${c.agentTyping ? this._si('chatTyping', { name: c.agentTyping.name ?? this._s('chatSomeone') }) : ''}</p>
        ${askEmail
          ? html`<form @submit=${(e: Event) => {
              e.preventDefault();
              const v = this.renderRoot.querySelector<HTMLInputElement>('input[type=email]')!;
              if (v.checkValidity()) void c.leaveEmail(v.value);
            }}>
              <label class="sr-only" for="email">${this._s('chatEmailLabel')}</label>
              <input id="email" type="email" required autocomplete="email" placeholder=${this._s('chatEmailLabel')} />
              <button class="send">${this._s('chatEmailSend')}</button>
            </form>`
          : emailed
            ? html`<p class="typing">${this._si('chatEmailThanks', { email: emailed })}</p>`
            : nothing}
        ${c.status === 'bot' ? html`<button type="button" class="human" @click=${() => c.handoff()}>${this._s('chatHuman')}</button>` : nothing}
        <form @submit=${(e: Event) => this._send(e)}>
          <input id="file" type="file" hidden accept=${ATTACHMENT_TYPES.join(',')} @change=${(e: Event) => void this._attach(e.target as HTMLInputElement)} />
          <button type="button" class="attach" aria-label=${this._s('chatAttach')} title=${this._s('chatAttach')} @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#file')!.click()}>
            <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M16.5 6.5 8.4 14.6a2 2 0 0 0 2.8 2.8l8.5-8.5a4 4 0 0 0-5.7-5.7l-8.8 8.8a6 6 0 0 0 8.5 8.5l7.1-7.1" /></svg>
          </button>
          <label class="sr-only" for="msg">${this._s('chatPlaceholder')}</label>
          <textarea id="msg" rows="1" maxlength="4000" placeholder=${this._s('chatPlaceholder')} @keydown=${(e: KeyboardEvent) => this._onKey(e)} @input=${() => this._onInput()}></textarea>
          <button class="send">${this._s('chatSend')}</button>
        </form>
      </section>
    `;
  }
}
