import type { enChat } from './chat/en.js';
import type { enConsent } from './consent/en.js';
import type { enConsentPreferences } from './consent/en-preferences.js';
import type { enSurvey } from './survey/en.js';

/**
 * Every string key of every element. Each element has its own table
 * (consent/, chat/, survey/): English is its reference, every other language
 * a lazy chunk typed as complete against it, so each element's bundle carries
 * only its own strings.
 */
export type StringKey = keyof typeof enConsent | keyof typeof enConsentPreferences | keyof typeof enChat | keyof typeof enSurvey;
export type Strings = Record<StringKey, string> & Record<string, string>;
