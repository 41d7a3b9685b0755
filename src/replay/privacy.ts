/**
 * What replay never lets leave the browser. Input values are masked by the
 * recorder, to a fixed length (passwords and payment fields not even that);
 * text, attribute values, URLs and titles go through `serialise` as the chunk
 * is written, so a secret is caught wherever in the DOM it hides.
 * docs/replay.md lists what is masked and what is recorded: keep them in step.
 */
import { scrubUrl } from '../lib/scrub-url.js';
import type { RrEvent } from './limit-mutations.js';

/** Every masked value (input, select, option): one fixed length, since a mask's length tells the value's. */
export const MASK = '********';
/** Console messages are cut here (each argument, as text). */
export const CONSOLE_MAX = 200;

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
 * Every input type masked, `hidden` included (rrweb's `maskAllInputs` lists
 * the text-like types only: a hidden CSRF token, a file's name were recorded).
 * Radio and checkbox states and button labels are not values rrweb masks.
 */
const EVERY_INPUT = new Proxy({}, { get: () => true }) as Record<string, boolean>;

/**
 * The recorder's masking options: input values masked always, to a fixed
 * length; text masking and blocking by selector only when `marked` (the page
 * has such elements, or the site configured selectors). rrweb tests those
 * selectors with `closest()` for every recorded node — O(depth) each — so a
 * page without any marked element should not pay for them (see `watchMarked`).
 */
export const maskOptions = (o: { maskAllText?: boolean; maskSelector?: string; blockSelector?: string }, marked: boolean) => ({
  maskInputOptions: EVERY_INPUT,
  maskInputFn: (text: string, el: HTMLElement | null) => (isSecretInput(el) || !text ? '' : MASK),
  // Text typed into an editable region is a value: a fixed-length mask. Other
  // masked text keeps its length (one `*` per character), so the layout replays.
  maskTextFn: (text: string, el: HTMLElement | null) => (el?.isContentEditable && /\S/.test(text) ? MASK : text.replace(/\S/g, '*')),
  ...(o.maskAllText
    ? { maskTextSelector: '*' }
    : marked || o.maskSelector
      ? { maskTextSelector: ['[data-tp-mask]', '[contenteditable]', o.maskSelector].filter(Boolean).join(',') }
      : {}),
  ...(marked || o.blockSelector ? { blockSelector: ['[data-tp-block]', o.blockSelector].filter(Boolean).join(',') } : {}),
});

/** A serialised node (rrweb-snapshot's), as far as masking looks at it. */
interface SNode {
  type: number;
  tagName?: string;
  attributes?: Record<string, unknown>;
  childNodes?: SNode[];
  textContent?: string;
}

/**
 * An `<option>`'s attributes with nothing that tells it apart: a masked
 * select's value says nothing only if every option reads the same, and
 * `selected` would point at the chosen one.
 */
const maskOptionAttributes = (a: Record<string, unknown>) => {
  const m = { ...a };
  for (const k of ['value', 'label']) if (k in m) m[k] = MASK;
  delete m.selected;
  return m;
};

/** Attributes whose value is a URL even when relative (rrweb makes `href` and `src` absolute, not `action`). */
const URL_KEY = /^(href|src|action|formaction|poster)$/;
/** URLs inside any other string: `srcset`, CSS `url()`, console traces, text. */
const URLS = /\bhttps?:\/\/[^\s()'"]+/g;

/**
 * The chunk as JSON, every string scrubbed on the way: URLs through the one
 * URL scrubber, PII patterns through `scrubText`; option lists masked (those
 * of a snapshot and of added subtrees; `maskEvent` does the rest).
 */
export const serialise = (events: RrEvent[]): string =>
  JSON.stringify(events, function (this: SNode, k: string, v: unknown) {
    if (this.tagName === 'option') {
      if (k === 'attributes') return maskOptionAttributes(v as Record<string, unknown>);
      if (k === 'childNodes') return (v as SNode[]).map((c) => (c.type === 3 ? { ...c, textContent: MASK } : c));
    }
    if (typeof v !== 'string') return v;
    const s = URL_KEY.test(k) ? scrubUrl(v) : v.includes('://') ? v.replace(URLS, scrubUrl) : v;
    return s.length > 5 && /[@\d]/.test(s) ? scrubText(s) : s;
  });

/**
 * What `serialise` cannot see, done as each event is emitted (the recorder's
 * mirror still knows the nodes): text added to or changed in an `<option>`,
 * an option's attribute changes; and console messages cut at `CONSOLE_MAX`.
 */
export const maskEvent = (e: RrEvent, node: (id: number) => Node | null): RrEvent => {
  const d = e.data;
  const isOption = (id: number) => node(id)?.nodeName === 'OPTION';
  if (e.type === 3 && d.source === 0) {
    for (const a of (d.adds ?? []) as { parentId: number; node: SNode }[]) if (a.node.type === 3 && isOption(a.parentId)) a.node.textContent = MASK;
    for (const t of (d.texts ?? []) as { id: number; value: string }[]) if (node(t.id)?.parentNode?.nodeName === 'OPTION') t.value = MASK;
    for (const a of (d.attributes ?? []) as { id: number; attributes: Record<string, unknown> }[]) if (isOption(a.id)) a.attributes = maskOptionAttributes(a.attributes);
  }
  const log = d.payload as { payload?: string[] } | undefined;
  if (e.type === 6 && d.plugin === 'rrweb/console@1' && log?.payload) {
    // Each argument arrives as JSON (a string in quotes): cut as the text the page logged.
    log.payload = log.payload.map((s) => {
      let text = s;
      try {
        const v: unknown = JSON.parse(s);
        if (typeof v === 'string') text = v;
      } catch {
        // not JSON: cut as it is
      }
      return text.length > CONSOLE_MAX ? JSON.stringify(text.slice(0, CONSOLE_MAX)) : s;
    });
  }
  return e;
};

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
