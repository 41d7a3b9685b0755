import { html, nothing, type TemplateResult } from 'lit';
import type { ConsentState } from 'touchpoint/host';

/** What the dialog needs from its banner (kept narrow: the banner's internals stay private). */
export interface PreferencesView {
  state: ConsentState;
  services: Record<string, string[]>;
  dir: string;
  lang: string;
  s(key: string): string;
  gpcNote(): TemplateResult | typeof nothing;
  button(label: string, choice: 'all' | 'none' | 'custom' | 'dns'): TemplateResult;
  onClose(): void;
  close(): void;
}

/**
 * The preferences dialog of <tp-consent-banner>: a lazy chunk, loaded when
 * the visitor asks for it (Customize, a `[data-tp-consent-open]` link,
 * `touchpoint.consent.show()`), so the first layer stays inside its budget.
 */
export const renderPreferences = (v: PreferencesView): TemplateResult => {
  const st = v.state;
  const optOut = st.mode === 'opt-out';
  return html`<dialog part="dialog" aria-labelledby="prefs-title" dir=${v.dir} lang=${v.lang} @close=${v.onClose}>
    <div class="dialog__body">
      <div class="dialog__head">
        <h2 id="prefs-title">${v.s(optOut ? 'consentDoNotSell' : 'consentPreferences')}</h2>
        <button type="button" class="close" aria-label=${v.s('consentClose')} @click=${v.close}>×</button>
      </div>
      ${v.gpcNote()}
      ${optOut
        ? html`<p>${v.s(st.categories.marketing ? 'consentDoNotSellBody' : 'consentOptedOut')}</p>`
        : Object.keys(st.categories).map((cat) => {
            const locked = cat === 'necessary' || (cat === 'marketing' && st.gpc);
            const services = v.services[cat];
            return html`<div class="category" part="category">
              <label>
                <span id="cat-${cat}">${v.s(`cat.${cat}`)}</span>
                <input type="checkbox" role="switch" part="switch" name=${cat} .checked=${st.categories[cat] ?? false} ?disabled=${locked} aria-describedby="desc-${cat}" />
              </label>
              <p id="desc-${cat}">
                ${v.s(`cat.${cat}.desc`)} ${cat === 'necessary' ? html`<strong>${v.s('consentAlwaysOn')}</strong>` : nothing}
                ${services?.length ? html`<br />${v.s('consentServices')} ${services.join(', ')}` : nothing}
              </p>
            </div>`;
          })}
    </div>
    <div class="dialog__actions actions">
      ${optOut ? v.button('consentOptOut', 'dns') : html`${v.button('consentRejectAll', 'none')}${v.button('consentAcceptAll', 'all')}${v.button('consentSave', 'custom')}`}
    </div>
  </dialog>`;
};

export { default as preferencesStyles } from './consent-preferences.styles.js';
export { enConsentPreferences } from '../i18n/consent/en-preferences.js';
