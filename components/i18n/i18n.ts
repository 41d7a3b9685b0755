import type { Strings } from './en.js';

export type { Strings, StringKey } from './en.js';

/**
 * Touchpoint's one i18n mechanism. Each element ships its own English;
 * other languages are lazy chunks (only the one the page needs is fetched).
 * A site can override any string per element through its `strings` property.
 */
const LOADERS: Record<string, () => Promise<{ strings: Partial<Strings> }>> = {
  ro: () => import('./ro.js'),
  'zh-Hans': () => import('./zh-hans.js'),
  'zh-Hant': () => import('./zh-hant.js'),
  ar: () => import('./ar.js'),
  he: () => import('./he.js'),
};

const RTL = /^(ar|he|fa|ur|ps|sd|yi|dv|ckb)\b/i;

/** The supported language for a BCP 47 tag: `zh-TW` → `zh-Hant`, `ro-RO` → `ro`, anything else → `en`. */
export const resolveLocale = (tag: string | undefined): string => {
  const t = (tag ?? '').toLowerCase();
  if (t.startsWith('zh')) return /hant|tw|hk|mo/.test(t) ? 'zh-Hant' : 'zh-Hans';
  const base = t.split('-')[0]!;
  return base in LOADERS ? base : 'en';
};

/** Writing direction of a language tag. */
export const directionOf = (tag: string): 'rtl' | 'ltr' => (RTL.test(tag) ? 'rtl' : 'ltr');

/** The page's language: `<html lang>`, else the browser's. */
export const pageLocale = (): string => document.documentElement.lang || navigator.language || 'en';

const cache = new Map<string, Promise<Partial<Strings>>>();

/** The strings of `tag` over an element's English (`base`), which fills any gap. Never rejects. */
export const loadStrings = async <B extends Record<string, string>>(tag: string, base: B): Promise<Strings> => {
  const locale = resolveLocale(tag);
  let p = cache.get(locale);
  if (!p) cache.set(locale, (p = locale === 'en' ? Promise.resolve({}) : LOADERS[locale]!().then((m) => m.strings, () => ({}))));
  return { ...base, ...(await p) } as Strings;
};

/** Fills `{name}` placeholders. */
export const format = (text: string, vars: Record<string, string | number>): string => text.replace(/\{(\w+)\}/g, (m, k: string) => String(vars[k] ?? m));

/** A string for `key`: the site's override, else the language table, else the key; `{name}` placeholders filled. */
export const translate = (overrides: Partial<Strings>, table: Strings, key: string, vars?: Record<string, string | number>): string => {
  const text = (overrides as Record<string, string>)[key] ?? table[key] ?? key;
  return vars ? format(text, vars) : text;
};
