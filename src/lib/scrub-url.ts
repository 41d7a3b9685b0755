/** Query keys whose values are secrets or personal data by name. */
const SECRET_KEY = /e-?mail|token|pass(word)?|pwd|secret|auth|api[-_]?key|session|ssn|phone|tel|card|iban/i;
/** Values that are personal data by shape, whatever their key. */
const EMAIL = /[^\s@/?#&=]+@[^\s@/?#&=]+\.[a-z]{2,}/i;
/** The same, global, built once: it runs on every event's page title (replace() resets lastIndex). */
const EMAILS = new RegExp(EMAIL, 'gi');

/** Email addresses in free text (a page title, a URL hash) → `[redacted]`. */
export const scrubEmails = (text: string): string => text.replace(EMAILS, '[redacted]');

/**
 * Replaces PII and secrets in a URL's query and hash parameters with
 * `[redacted]` before the URL leaves the browser (events, replay meta).
 */
export const scrubUrl = (url: string): string => {
  try {
    const u = new URL(url);
    let changed = false;
    for (const [k, v] of u.searchParams) {
      if (SECRET_KEY.test(k) || EMAIL.test(v)) {
        u.searchParams.set(k, '[redacted]');
        changed = true;
      }
    }
    if (EMAIL.test(u.hash)) {
      u.hash = scrubEmails(u.hash);
      changed = true;
    }
    return changed ? u.toString() : url;
  } catch {
    return url;
  }
};
