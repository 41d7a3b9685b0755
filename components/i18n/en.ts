import type { enChat } from './en-chat.js';
import type { enConsent } from './en-consent.js';
import type { enSurvey } from './en-survey.js';

/**
 * English is the reference table, one file per element (en-consent.ts,
 * en-chat.ts, en-survey.ts) so each element's bundle carries only its own strings; every
 * other language is one file with all elements' strings.
 */
export type StringKey = keyof typeof enConsent | keyof typeof enChat | keyof typeof enSurvey;
export type Strings = Record<StringKey, string> & Record<string, string>;
