import type { Strings } from './en.js';

export type { Strings, StringKey } from './en.js';

/**
 * Touchpoint's one i18n mechanism. Each element has its own table: its English
 * (`<element>/en.ts`) and one lazy chunk per other language (`<element>/<lang>.ts`),
 * so a page fetches only its own element's strings in its own language.
 * A site can override any string per element through its `strings` property.
 */

/** The languages every element ships besides English (test/node/i18n-tables.test.ts holds each table to them). */
export const LOCALES = ['ro', 'zh-Hans', 'zh-Hant', 'ar', 'he'] as const;

/** One element's lazy tables, by language. */
export type Locales = Record<(typeof LOCALES)[number], () => Promise<{ strings: Record<string, string> }>>;

const RTL = /^(ar|he|fa|ur|ps|sd|yi|dv|ckb)\b/i;

/** The supported language for a BCP 47 tag: `zh-TW` → `zh-Hant`, `ro-RO` → `ro`, anything else → `en`. */
export const resolveLocale = (tag: string | undefined): string => {
  const t = (tag ?? '').toLowerCase();
  if (t.startsWith('zh')) return /hant|tw|hk|mo/.test(t) ? 'zh-Hant' : 'zh-Hans';
  const base = t.split('-')[0]!;
  return (LOCALES as readonly string[]).includes(base) ? base : 'en';
};

/** Writing direction of a language tag. */
export const directionOf = (tag: string): 'rtl' | 'ltr' => (RTL.test(tag) ? 'rtl' : 'ltr');

/** The page's language: `<html lang>`, else the browser's. */
export const pageLocale = (): string => document.documentElement.lang || navigator.language || 'en';

/** The strings of `tag` from an element's tables: its language over its English (`base`), which fills any gap (a chunk that fails to load). Never rejects. */
export const loadStrings = async (tag: string, base: Record<string, string>, locales: Locales): Promise<Strings> => {
  const locale = resolveLocale(tag) as keyof Locales;
  // A dynamic import is fetched once by the browser; no cache of our own needed.
  const strings: Record<string, string> = locale in locales ? await locales[locale]().then((m) => m.strings, () => ({})) : {};
  return { ...base, ...strings } as Strings;
};

/** Fills `{name}` placeholders. */
export const format = (text: string, vars: Record<string, string | number>): string => text.replace(/\{(\w+)\}/g, (m, k: string) => String(vars[k] ?? m));

/** A string for `key`: the site's override, else the language table, else the key; `{name}` placeholders filled. */
export const translate = (overrides: Partial<Strings>, table: Strings, key: string, vars?: Record<string, string | number>): string => {
  const text = (overrides as Record<string, string>)[key] ?? table[key] ?? key;
  return vars ? format(text, vars) : text;
};
