import type { enConsentPreferences } from './en-preferences.js';

/**
 * English strings of <tp-consent-banner>'s first layer, the reference every language fills
 * (the preferences dialog's are in en-preferences.ts, loaded with the dialog).
 */
export const enConsent = {
  consentTitle: 'We value your privacy',
  consentBody: 'We use cookies and similar technologies to run this site, measure how it is used and improve it. Choose what you allow; you can change your mind at any time.',
  consentAcceptAll: 'Accept all',
  consentRejectAll: 'Reject all',
  consentCustomize: 'Customize',
  consentGpc: "Your browser's privacy signal (Global Privacy Control) is respected: we don't sell or share your data for advertising.",
  consentPolicy: 'Privacy policy',
  consentDoNotSell: 'Do not sell or share my personal information',
  consentDoNotSellBody: 'We share some data with advertising partners to measure and personalise ads. You can opt out of this sale or sharing at any time.',
  consentNotice: 'We use cookies to run and improve this site.',
  consentOk: 'OK',
};

/** Every string of the banner and its dialog: what each other language's table holds. */
export type ConsentStrings = Record<keyof typeof enConsent | keyof typeof enConsentPreferences, string>;
