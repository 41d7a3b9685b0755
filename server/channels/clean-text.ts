/**
 * Text from a channel made storable: PostgreSQL text holds no NUL and UTF-8
 * has no unpaired surrogates. A browser's request with either is refused
 * (lib/validate.ts); a customer's mail or a platform's signed webhook is
 * cleaned instead — refusing it would make the sender retry the same bytes
 * for days, and lose the customer's message in the end.
 */
const UNPAIRED = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export const cleanText = (s: string, max = Infinity): string => {
  const t = s.replaceAll('\u0000', '').replace(UNPAIRED, '\ufffd');
  return t.length > max ? t.slice(0, max) : t;
};

/** A JSON value with every string (and key) cleaned; numbers that do not fit become null. */
export const cleanJson = (v: unknown): unknown => {
  if (typeof v === 'string') return cleanText(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map(cleanJson);
  if (v && typeof v === 'object') {
    // A null-prototype object: a key named `__proto__` or `constructor` is data, not Object's.
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, x] of Object.entries(v)) out[cleanText(k)] = cleanJson(x);
    return out;
  }
  return v;
};
