/** A tag's full form and its language-with-script (`zh-TW` → `zh-hant-tw`, `zh-hant`), by Intl's likely subtags. */
const forms = (tag: string): [string, string] | undefined => {
  try {
    const l = new Intl.Locale(tag).maximize();
    return [l.baseName.toLowerCase(), `${l.language}-${l.script}`.toLowerCase()];
  } catch {
    return undefined;
  }
};

/**
 * The language of `available` to show a visitor who reads `wanted` (best
 * first): for each wanted tag in turn, the same tag, else one that means the
 * same once filled in (`zh-TW` and `zh-Hant`, `zh` and `zh-Hans`), else one of
 * the same language and script (`en-GB` → `en`, never `zh-Hant` for `zh-CN`).
 * Undefined when none fits: the caller falls back to its default.
 */
export const pickLanguage = (available: readonly string[], wanted: readonly (string | null | undefined)[]): string | undefined => {
  const known = available.map((a) => [a, forms(a)] as const);
  for (const w of wanted) {
    const f = w && forms(w);
    if (!f) continue;
    const hit = known.find(([a]) => a.toLowerCase() === w.toLowerCase()) ?? known.find(([, k]) => k?.[0] === f[0]) ?? known.find(([, k]) => k?.[1] === f[1]);
    if (hit) return hit[0];
  }
  return undefined;
};
