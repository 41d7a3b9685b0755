/**
 * The one scrubber for every URL that leaves the browser: page URL and
 * referrer (also `properties.referrer` after an SPA navigation), link and
 * form targets, replay `href`/`src` attributes, the chat's `page`, survey
 * answers' `url`, error stacks. The deny-list is documented in docs/sdk.md
 * ("URLs"); keep the two in step.
 *
 * Keys, query or fragment (`#access_token=…`, OAuth's implicit flow), whose
 * name says secret or personal data. Matched anywhere in the key: …
 */
const SECRET_KEY = /token|secret|passw|pwd|auth(?!or)|session|signature|apikey|e-?mail|ssn|iban|card|phone|ticket|saml|\b(code|state|key|sig|hash|otp|pin|sid|tel|mail)\b/i;
/** Values that are personal data or a secret by shape, whatever their key: e-mail addresses (also percent-encoded) and JWTs. */
const EMAIL = /eyJ[\w-]+\.[\w-]+\.|[^\s@/?#&=]+(@|%40)[^\s@/?#&=]+\.[a-z]{2,}/i;
const EMAILS = new RegExp(EMAIL, 'gi');
/** `key=value` in the query, the fragment, or `;matrix` parameters. */
const PAIR = /([?&#;])([^?&#;=]+)=([^?&#;]*)/g;

let allowed: string[] = [];

/** The site's allow-list (`urlAllowList`): keys kept as they are although the deny-list names them. E-mail and JWT values are redacted regardless. */
export const allowUrlKeys = (keys: string[] = []): void => void (allowed = keys);

/** E-mail addresses (and JWTs) in free text (a page title, a URL path) → `[redacted]`. */
export const scrubEmails = (text: string): string => text.replace(EMAILS, '[redacted]');

/**
 * The URL (absolute or relative) with the value of every denied key, and of
 * every e-mail- or JWT-shaped value, replaced by `[redacted]`, and e-mail
 * addresses elsewhere (path) too. Everything else is left byte for byte.
 */
export const scrubUrl = (url: string): string =>
  scrubEmails(
    url.replace(PAIR, (m, sep: string, k: string, v: string) => {
      // Words split at `_` and camelCase (oobCode, apiKey, RelayState) for `\b`. Keys
      // are not decoded (nobody encodes `access_token`); values need not be: an
      // e-mail is found by its `@` or `%40`, a JWT by its `eyJ`.
      return (SECRET_KEY.test(k.replace(/([a-z])(?=[A-Z])|_/g, '$1-')) && !allowed.includes(k)) || EMAIL.test(v) ? `${sep}${k}=[redacted]` : m;
    }),
  );
