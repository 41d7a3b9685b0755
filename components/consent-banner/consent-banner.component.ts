import { html, nothing, type PropertyValues } from 'lit';
import { TouchpointElement } from '../internal/touchpoint-element.js';
import { componentStyles } from '../internal/component.styles.js';
import { FocusReturn } from '../internal/focus-return.js';
import { directionOf, loadStrings, pageLocale, resolveLocale, translate, type Strings } from '../i18n/i18n.js';
import { enConsent } from '../i18n/consent/en.js';
import { consentLocales } from '../i18n/consent/locales.js';
import { createConsent, sdkFor, type Consent, type ConsentMode, type ConsentState } from 'touchpoint/host';
import type { Touchpoint } from 'touchpoint';
import type { ConsentMethod } from 'touchpoint/protocol';
import styles from './consent-banner.styles.js';
import type * as Prefs from './consent-preferences.js';
import type { PreferencesView } from './consent-preferences.js';

type PreferencesModule = typeof Prefs;

/**
 * @summary Consent banner that gates Touchpoint and any script on the page: Accept all, Reject all and Customize
 * of equal prominence, a preferences dialog per category, Global Privacy Control and Google Consent Mode v2 built in.
 * It takes focus when it opens and, after the decision, gives it back to where it was (else to the page's `<main>`,
 * never `<body>`). While it shows it sets `--tp-consent-offset` on `<html>`, which lifts the other elements above it.
 *
 * @event tp-consent-change - The visitor decided (or withdrew): `detail` is `{ state, method }`.
 * @event tp-consent-show - The first layer or the preferences dialog opened.
 * @event tp-consent-hide - Both layers are closed.
 *
 * @csspart banner - The first layer.
 * @csspart title - The first layer's heading.
 * @csspart actions - The row of first-layer buttons.
 * @csspart button - Every choice button (all of equal prominence).
 * @csspart dialog - The preferences dialog.
 * @csspart category - One category row in the dialog.
 * @csspart switch - A category's on/off switch.
 * @csspart gpc - The Global Privacy Control notice.
 *
 * @cssproperty --tp-color-accent - Buttons, switches and links.
 * @cssproperty --tp-color-surface - Background of both layers.
 * @cssproperty --tp-color-text - Text colour.
 * @cssproperty --tp-color-border - Borders.
 * @cssproperty --tp-radius - Corner radius.
 * @cssproperty --tp-font-family - Font stack.
 * @cssproperty --tp-z-index - Base stacking layer shared by all Touchpoint elements.
 * @cssproperty --tp-consent-max-width - Width of the first layer on wide screens.
 * @cssproperty --tp-consent-button-background - Background of the choice buttons.
 * @cssproperty --tp-consent-button-color - Text colour of the choice buttons.
 */
export class TpConsentBanner extends TouchpointElement {
  static override styles = [componentStyles, styles];

  static override properties = {
    mode: { reflect: true },
    policyVersion: { attribute: 'policy-version' },
    categories: { type: Array },
    services: { type: Object },
    locale: {},
    strings: { type: Object },
    policyUrl: { attribute: 'policy-url' },
    googleConsentMode: { type: Boolean, attribute: 'google-consent-mode' },
    noScriptUnblocking: { type: Boolean, attribute: 'no-script-unblocking' },
    open: { type: Boolean, reflect: true },
    _state: { state: true },
    _t: { state: true },
  };

  /** `opt-in` (GDPR) or `opt-out` (CCPA/CPRA). Ignored when the element drives the SDK's engine, which has its own. */
  declare mode: ConsentMode;
  /** Consent policy version; changing it asks everyone again. */
  declare policyVersion: string;
  /** Categories to ask about (standalone use). */
  declare categories: string[] | undefined;
  /** Services per category, listed in the preferences dialog: `{ analytics: ['Touchpoint', 'Google Analytics'] }`. */
  declare services: Record<string, string[]>;
  /** Language (BCP 47); defaults to `<html lang>`, then the browser's. */
  declare locale: string | undefined;
  /** Per-site overrides of any string. */
  declare strings: Partial<Strings>;
  /** Link to the site's privacy policy. */
  declare policyUrl: string | undefined;
  /** Keep Google Consent Mode v2 in sync (`gtag('consent', …)`). */
  declare googleConsentMode: boolean;
  /** Don't activate `<script type="text/plain" data-tp-consent>` elements. */
  declare noScriptUnblocking: boolean;
  /** Whether the first layer shows. Opens by itself when a decision is needed. */
  declare open: boolean;
  /**
   * The SDK instance whose consent the banner asks for; by default the script tag's `window.touchpoint` once it
   * runs (`sdkFor`, touchpoint/host). Read when the banner connects, like `consent`: a plain property, not a
   * reactive one (nothing renders from it).
   */
  declare sdk: Touchpoint | undefined;
  /** The consent engine: the `sdk`'s when there is one, else one of the element's own. */
  consent: Consent | undefined;

  declare private _state: ConsentState;
  declare private _t: Strings;
  private _off: (() => void)[] = [];
  /** Google Consent Mode's update of the state now, once its bridge has loaded. */
  private _gcm?: () => void;
  private readonly _focus = new FocusReturn();

  constructor() {
    super();
    this.mode = 'opt-in';
    this.policyVersion = '1';
    this.services = {};
    this.strings = {};
    this.googleConsentMode = false;
    this.noScriptUnblocking = false;
    this.open = false;
    this._t = enConsent as Strings;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The SDK's engine (given, else the script tag's once running, not the snippet's stub), so banner and SDK share one state.
    this.consent ??= sdkFor(this.sdk)?.consent ?? createConsent({ mode: this.mode, policyVersion: this.policyVersion, categories: this.categories });
    const c = this.consent;
    this._state = c.get();
    this._off.push(
      c.on('change', (state, method) => {
        this._state = state;
        this.emit('tp-consent-change', { state, method });
        this._apply();
      }),
      c.on('show', () => this.showPreferences()),
    );
    // Both bridges are lazy chunks: most pages use neither.
    if (this.googleConsentMode)
      void import('../../src/consent/google-consent-mode.js').then((m) => {
        const [off, sync] = m.googleConsentMode(c);
        this._off.push(off);
        this._gcm = sync;
      });
    const opener = (e: Event) => {
      if ((e.target as Element | null)?.closest?.('[data-tp-consent-open]')) {
        e.preventDefault();
        this.showPreferences();
      }
    };
    document.addEventListener('click', opener);
    this._off.push(() => document.removeEventListener('click', opener));
    this._apply();
    // Undecided: opt-in asks (`needsPrompt`), opt-out shows its notice; `none` is always decided.
    if (!this._state.decided) this.open = true;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._off.forEach((f) => f());
    this._off = [];
    document.documentElement.style.removeProperty('--tp-consent-offset');
  }

  private _strings: Promise<unknown> = Promise.resolve();
  /** The frame after opening or closing, in which the banner is measured and focused. */
  private _framed: Promise<void> | undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale') || !this.hasUpdated) this._strings = loadStrings(this._lang, enConsent, consentLocales).then((t) => (this._t = { ...this._prefs?.enConsentPreferences, ...t }));
  }

  /** Resolves once rendered in the right language (other languages are lazy chunks). */
  protected override async getUpdateComplete(): Promise<boolean> {
    // The first update starts the strings load; wait for it, then for the render it causes.
    await super.getUpdateComplete();
    await this._strings;
    await this._opening; // the preferences dialog (a lazy chunk), once asked for
    await this._framed; // measured and focused
    return super.getUpdateComplete();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('open')) {
      // Asked again (a newer policy version): the stale decision no longer counts, for Google's tags either.
      if (this.open) this._gcm?.();
      // Measured and focused in the next frame, whose layout is due anyway: here, both
      // forced a layout of the whole page inside the render's task (20–30 ms of a long
      // task on a 4× throttled phone).
      // A hidden page runs no frames: there it happens at once.
      this._framed = new Promise((done) =>
        (document.hidden ? (f: () => void) => f() : requestAnimationFrame)(() => {
          const banner = this.renderRoot.querySelector<HTMLElement>('.banner');
          // Lift bottom-anchored widgets (the chat launcher) above the banner: the stacking contract.
          if (this.open && banner) {
            document.documentElement.style.setProperty('--tp-consent-offset', `${banner.offsetHeight}px`);
            this._focus.take(banner);
          } else {
            document.documentElement.style.removeProperty('--tp-consent-offset');
            // Back where it was before the banner took it (the preferences dialog gives it back to the hidden banner).
            this._focus.give(this);
          }
          done();
        }),
      );
      if (this.open) this.emit('tp-consent-show');
      else if (changed.get('open')) this.emit('tp-consent-hide');
    }
  }

  /** The preferences dialog's chunk, once asked for. */
  declare private _prefs: PreferencesModule | undefined;
  /** The latest showPreferences(), which updateComplete includes. */
  private _opening: Promise<void> | undefined;

  /** Opens the preferences dialog (also from `touchpoint.consent.show()` or any `[data-tp-consent-open]` element). */
  showPreferences(): Promise<void> {
    return (this._opening = this._openPreferences());
  }

  private async _openPreferences(): Promise<void> {
    if (!this._prefs) {
      const m = await import('./consent-preferences.js');
      // Adopted, not a <style> element: strict-CSP pages allow no inline styles.
      const root = this.renderRoot as ShadowRoot;
      if (m.preferencesStyles.styleSheet && root.adoptedStyleSheets) root.adoptedStyleSheets = [...root.adoptedStyleSheets, m.preferencesStyles.styleSheet];
      this._prefs = m;
      // The dialog's English came with it: under the language's strings, which have them already.
      this._t = { ...m.enConsentPreferences, ...this._t };
    }
    // lit's own wait: ours (getUpdateComplete) waits for this very opening.
    await super.getUpdateComplete();
    const d = this.renderRoot.querySelector('dialog');
    if (d && !d.open && d.isConnected) {
      d.showModal();
      this.emit('tp-consent-show');
    }
  }

  private _prefsView(dir: string, lang: string): PreferencesView {
    return {
      state: this._state,
      services: this.services,
      dir,
      lang,
      s: (k) => this._s(k),
      gpcNote: () => this._gpcNote(),
      button: (label, choice) => this._button(label, choice),
      onClose: () => !this.open && this.emit('tp-consent-hide'),
      close: () => this.renderRoot.querySelector('dialog')?.close(),
    };
  }

  private get _lang() {
    return this.locale ?? pageLocale();
  }

  private _s(key: string): string {
    return translate(this.strings, this._t, key);
  }

  /** Consequences of the current state: scripts to unblock. */
  private _apply() {
    const c = this.consent!;
    if (!this.noScriptUnblocking && document.querySelector('script[type="text/plain"][data-tp-consent]:not([data-tp-done])')) {
      void import('../../src/consent/unblock-scripts.js').then((m) => m.unblockScripts((cat) => c.granted(cat)));
    }
  }

  /** SHA-256 of the text the visitor was shown, for the consent record. */
  private async _meta(): Promise<{ textHash?: string; locale: string }> {
    const locale = resolveLocale(this._lang);
    try {
      const text = [...this.renderRoot.querySelectorAll('h2, p, label')].map((e) => e.textContent?.trim()).join('\n');
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
      return { textHash: Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join(''), locale };
    } catch {
      return { locale }; // crypto.subtle needs a secure context
    }
  }

  private async _decide(choice: 'all' | 'none' | 'custom' | 'dns' | 'ack') {
    const c = this.consent!;
    const meta = await this._meta();
    const method: ConsentMethod = 'banner';
    if (choice === 'all') c.grantAll(method, meta);
    else if (choice === 'none') c.denyAll(method, meta);
    else if (choice === 'dns') c.set({ marketing: false }, method, meta);
    else if (choice === 'ack') c.set({}, method, meta);
    else {
      const picked: Record<string, boolean> = {};
      for (const i of this.renderRoot.querySelectorAll<HTMLInputElement>('dialog input[name]')) picked[i.name] = i.checked;
      c.set(picked, method, meta);
    }
    this.open = false;
    this.renderRoot.querySelector('dialog')?.close();
  }

  private _gpcNote() {
    return this._state.gpc ? html`<p class="gpc" part="gpc" role="note">${this._s('consentGpc')}</p>` : nothing;
  }

  private _button(label: string, choice: Parameters<TpConsentBanner['_decide']>[0] | 'customize') {
    return html`<button type="button" class="btn" part="button" @click=${() => (choice === 'customize' ? this.showPreferences() : this._decide(choice))}>
      ${this._s(label)}
    </button>`;
  }

  override render() {
    const s = this._state;
    const optOut = s.mode === 'opt-out';
    const dir = directionOf(this._lang);
    const lang = resolveLocale(this._lang);
    return html`
      <section class="banner" part="banner" role="dialog" aria-modal="false" aria-labelledby="title" aria-describedby="body" tabindex="-1" dir=${dir} lang=${lang} ?hidden=${!this.open}>
        <h2 id="title" part="title">${this._s(optOut ? 'consentNotice' : 'consentTitle')}</h2>
        <p id="body">
          ${this._s(optOut ? 'consentDoNotSellBody' : 'consentBody')}
          ${this.policyUrl ? html` <a href=${this.policyUrl}>${this._s('consentPolicy')}</a>` : nothing}
        </p>
        ${this._gpcNote()}
        <div class="actions" part="actions">
          ${optOut
            ? html`${this._button('consentDoNotSell', 'customize')}${this._button('consentOk', 'ack')}`
            : html`${this._button('consentAcceptAll', 'all')}${this._button('consentRejectAll', 'none')}${this._button('consentCustomize', 'customize')}`}
        </div>
      </section>
      ${this._prefs?.renderPreferences(this._prefsView(dir, lang)) ?? nothing}
    `;
  }
}
