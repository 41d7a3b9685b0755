import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOCALES, type Locales } from '../../components/i18n/i18n.js';
import { enChat } from '../../components/i18n/chat/en.js';
import { chatLocales } from '../../components/i18n/chat/locales.js';
import { enConsent } from '../../components/i18n/consent/en.js';
import { enConsentPreferences } from '../../components/i18n/consent/en-preferences.js';
import { consentLocales } from '../../components/i18n/consent/locales.js';
import { enSurvey } from '../../components/i18n/survey/en.js';
import { surveyLocales } from '../../components/i18n/survey/locales.js';
import { CONSENT_CATEGORIES } from '../../src/protocol/constants.js';

/** Each element's table, and the source that uses it. */
const TABLES: { element: string; dir: string; en: Record<string, string>; locales: Locales; derived?: string[] }[] = [
  { element: 'tp-chat-launcher', dir: 'components/chat-launcher', en: enChat, locales: chatLocales },
  // Category names and descriptions are looked up as `cat.${category}` / `cat.${category}.desc`.
  { element: 'tp-consent-banner', dir: 'components/consent-banner', en: { ...enConsent, ...enConsentPreferences }, locales: consentLocales, derived: CONSENT_CATEGORIES.flatMap((c) => [`cat.${c}`, `cat.${c}.desc`]) },
  { element: 'tp-survey', dir: 'components/survey', en: enSurvey, locales: surveyLocales },
];
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const source = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(`${dir}/${f}`, 'utf8'))
    .join('\n');

describe('i18n tables', () => {
  for (const t of TABLES) {
    describe(`<${t.element}>`, () => {
      it('ships every language, no more', () => {
        expect(Object.keys(t.locales).sort()).toEqual([...LOCALES].sort());
      });

      for (const locale of LOCALES) {
        it(`has every key in ${locale}, translated, with the same placeholders as English`, async () => {
          const { strings } = await t.locales[locale]();
          expect(Object.keys(strings).sort()).toEqual(Object.keys(t.en).sort());
          for (const [k, v] of Object.entries(strings)) {
            expect(v.trim(), `${locale} ${k}`).not.toBe('');
            expect(placeholders(v), `${locale} ${k}`).toEqual(placeholders(t.en[k]!));
          }
        });
      }

      it('uses every key it ships', () => {
        const code = source(t.dir);
        const unused = Object.keys(t.en).filter((k) => !t.derived?.includes(k) && !code.includes(`'${k}'`));
        expect(unused).toEqual([]);
      });
    });
  }

  it('translates what reads as English in right-to-left and Chinese languages (no copied English left)', async () => {
    // Brand-like strings may stay as they are; everything else must differ from English.
    const same: string[] = [];
    for (const t of TABLES) {
      for (const locale of ['ar', 'he', 'zh-Hans', 'zh-Hant'] as const) {
        const { strings } = await t.locales[locale]();
        for (const [k, v] of Object.entries(strings)) if (v === t.en[k] || /^[\x20-\x7e]*[A-Za-z]{3}[\x20-\x7e]*$/.test(v)) same.push(`${locale} ${k}: ${v}`);
      }
    }
    expect(same).toEqual([]);
  });
});
