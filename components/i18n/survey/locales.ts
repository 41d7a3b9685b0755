import type { Locales } from '../i18n.js';

/** <tp-survey>'s languages besides English: one lazy chunk each. */
export const surveyLocales: Locales = {
  ro: () => import('./ro.js'),
  'zh-Hans': () => import('./zh-hans.js'),
  'zh-Hant': () => import('./zh-hant.js'),
  ar: () => import('./ar.js'),
  he: () => import('./he.js'),
};
