/**
 * English, the reference table: every string of every element, and the type
 * every other language fills. Keys are grouped by element.
 */
export const en = {
  consentTitle: 'We value your privacy',
  consentBody: 'We use cookies and similar technologies to run this site, measure how it is used and improve it. Choose what you allow; you can change your mind at any time.',
  consentAcceptAll: 'Accept all',
  consentRejectAll: 'Reject all',
  consentCustomize: 'Customize',
  consentSave: 'Save choices',
  consentPreferences: 'Privacy preferences',
  consentClose: 'Close',
  consentGpc: "Your browser's privacy signal (Global Privacy Control) is respected: we don't sell or share your data for advertising.",
  consentAlwaysOn: 'Always on',
  consentServices: 'Services:',
  consentPolicy: 'Privacy policy',
  consentDoNotSell: 'Do not sell or share my personal information',
  consentDoNotSellBody: 'We share some data with advertising partners to measure and personalise ads. You can opt out of this sale or sharing at any time.',
  consentOptOut: 'Opt out of sale and sharing',
  consentOptedOut: 'You have opted out of the sale and sharing of your personal information.',
  consentNotice: 'We use cookies to run and improve this site.',
  consentOk: 'OK',
  'cat.necessary': 'Strictly necessary',
  'cat.necessary.desc': 'Needed for the site to work and to remember your choices.',
  'cat.functional': 'Functional',
  'cat.functional.desc': 'Remember your preferences and enable features such as live chat.',
  'cat.analytics': 'Analytics',
  'cat.analytics.desc': 'Count visits and see how the site is used, so we can improve it.',
  'cat.replay': 'Session replay',
  'cat.replay.desc': 'Record how pages are used, with everything you type masked, to find and fix problems.',
  'cat.marketing': 'Marketing',
  'cat.marketing.desc': 'Measure campaigns and personalise ads, including sharing data with advertising partners.',
};

export type Strings = Record<keyof typeof en, string> & Record<string, string>;
