/**
 * What replay never lets leave the browser. Input values are masked by the
 * recorder (passwords and payment fields not even by length); text, attribute
 * values, URLs and titles go through `scrubText` as the serialised chunk,
 * so a secret is caught wherever in the DOM it hides.
 */

/** Email addresses. */
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/gi;
/**
 * Card numbers as they are written: 13–19 digits in one run, or in groups of
 * four (Amex 4-6-5); Luhn-checked below. Not any spaced digits: CSS is full of those.
 */
const CARD = /\b(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}|\d{4}([ -])\d{6}\2\d{5})\b/g;
/** IBANs: country code, check digits, 11–30 alphanumerics, optionally in groups of four. */
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g;
/**
 * Phone numbers in international form (+…), or national with dots, dashes or
 * brackets (555-123-4567, (555) 123-4567). Space-separated digits alone are
 * not a phone number: `rgb(255 255 255)` must survive.
 */
const PHONE = /\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}|(?:\(\d{3}\)\s?|\b\d{3}[.-])\d{3}[.-]\d{4}\b/g;

const luhn = (digits: string): boolean => {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = +digits[digits.length - 1 - i]!;
    if (i % 2) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
};

const stars = (m: string) => m.replace(/[^\s-]/g, '*');

/** Masks emails, card numbers, IBANs and phone numbers in any text. */
export const scrubText = (text: string): string =>
  text
    .replace(EMAIL, stars)
    .replace(CARD, (m) => (luhn(m.replace(/\D/g, '')) ? stars(m) : m))
    .replace(IBAN, stars)
    .replace(PHONE, stars);

/** Fields whose value is never serialised, not even its length. */
export const isSecretInput = (el: HTMLElement | null): boolean => {
  if (!el) return true;
  const i = el as HTMLInputElement;
  const hint = `${i.type} ${i.name} ${i.id} ${i.autocomplete} ${el.getAttribute('data-tp-mask') ?? ''}`;
  return /password|cc-|card|cvv|cvc|iban|ssn|secret|one-time-code/i.test(hint);
};

/** Elements that need the recorder's selector checks (text masked, or not recorded at all). */
export const MARKED = '[data-tp-mask],[data-tp-block],[contenteditable]';

/**
 * The recorder's masking options: input values masked always; text masking
 * and blocking by selector only when `marked` (the page has such elements, or
 * the site configured selectors). rrweb tests those selectors with
 * `closest()` for every recorded node — O(depth) each — so a page without any
 * marked element should not pay for them (see `watchMarked`).
 */
export const maskOptions = (o: { maskAllText?: boolean; maskSelector?: string; blockSelector?: string }, marked: boolean) => ({
  maskAllInputs: true,
  maskInputFn: (text: string, el: HTMLElement | null) => (isSecretInput(el) ? '' : '*'.repeat(text.length)),
  maskTextFn: (text: string) => text.replace(/\S/g, '*'),
  ...(o.maskAllText
    ? { maskTextSelector: '*' }
    : marked || o.maskSelector
      ? { maskTextSelector: ['[data-tp-mask]', '[contenteditable]', o.maskSelector].filter(Boolean).join(',') }
      : {}),
  ...(marked || o.blockSelector ? { blockSelector: ['[data-tp-block]', o.blockSelector].filter(Boolean).join(',') } : {}),
});

/**
 * Calls `onMarked` (once) when a marked element appears in the document or an
 * element becomes marked. Create it before the recorder: observers run in
 * creation order, so a restart with the selectors on happens before rrweb
 * sees the same mutations (its pending records are dropped when it stops).
 */
export const watchMarked = (onMarked: () => void): (() => void) => {
  const mo = new MutationObserver((records) => {
    // One document query per batch, not one per added node: by the time this
    // runs, an early node of the batch may hold every later one (a deep
    // append chain), and querying each subtree would be quadratic.
    const hit = records.some((r) => r.type === 'attributes' && (r.target as Element).matches(MARKED)) || (records.some((r) => r.addedNodes.length) && !!document.querySelector(MARKED));
    if (hit) {
      mo.disconnect();
      onMarked();
    }
  });
  mo.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-tp-mask', 'data-tp-block', 'contenteditable'] });
  return () => mo.disconnect();
};
