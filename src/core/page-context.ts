import type { PageContext } from '../protocol/context.js';
import { scrubEmails, scrubUrl } from '../lib/scrub-url.js';

/** A `context.page` from raw location facts (the snippet captures these at call time). */
export const pageContextFrom = (href: string, title: string, referrer: string): PageContext => {
  const url = scrubUrl(href);
  const u = new URL(url);
  // Titles carry PII too ("Orders of ada@example.com"). Absent facts are
  // `undefined` keys, which JSON leaves out (bytes the 6 KB budget needs).
  return { url, path: u.pathname, title: scrubEmails(title), search: u.search || undefined, hash: u.hash || undefined, referrer: referrer ? scrubUrl(referrer) : undefined };
};

/** The `context.page` of an event made now. */
export const pageContext = (referrer = document.referrer): PageContext => pageContextFrom(location.href, document.title, referrer);
