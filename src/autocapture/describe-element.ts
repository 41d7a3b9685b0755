import { clipText } from '../lib/clip-text.js';
import { scrubUrl } from '../lib/scrub-url.js';

/** Controls whose clicks are worth recording. */
export const INTERACTIVE = 'a,button,[role=button],[role=link],[role=menuitem],[role=tab],input[type=submit],input[type=button],input[type=reset],summary,label,select';

/**
 * A safe description of a clicked control: tag, id, classes, and the text of
 * the control itself (never an input's value, never a parent's text).
 */
export const describeElement = (el: Element): Record<string, unknown> => {
  const d: Record<string, unknown> = { tag: el.tagName.toLowerCase() };
  if (el.id) d.id = clipText(el.id, 128);
  const cls = el.getAttribute('class');
  if (cls) d.classes = cls.trim().split(/\s+/).slice(0, 10).map((c) => clipText(c, 64));
  if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el.closest('[data-tp-mask],[data-tp-block]'))) {
    const text = (el.getAttribute('aria-label') || (el as HTMLElement).innerText || el.textContent || '').trim().replace(/\s+/g, ' ');
    if (text) d.text = clipText(text, 64);
  }
  const href = el.getAttribute('href');
  if (href) d.href = scrubUrl((el as HTMLAnchorElement).href || href);
  return d;
};

/** The interactive element a click landed on, through shadow roots. */
export const clickTarget = (e: Event): Element | undefined => {
  const path = e.composedPath();
  for (const n of path) if (n instanceof Element && n.matches(INTERACTIVE)) return n;
  return undefined;
};
