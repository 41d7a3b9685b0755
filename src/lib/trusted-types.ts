/**
 * The SDK's one Trusted Types policy, named `touchpoint`: a page whose CSP
 * says `require-trusted-types-for 'script'` lists it in `trusted-types`
 * (with lit's `lit-html`, docs/sdk.md). It converts only what the SDK itself
 * hands to a script sink: the URL of its own time-zone worker, and the source
 * of scripts the page's own markup held back until consent (`src` or text of
 * `<script type="text/plain" data-tp-consent>`). Nothing from the network or
 * from a visitor passes through it. Made on first use, once per page; where
 * the browser has no Trusted Types (or the page's CSP does not allow the
 * name) strings go through unchanged and the browser decides, as it would
 * without the SDK.
 */
interface Policy {
  createScriptURL(url: string): unknown;
  createScript(text: string): unknown;
}

let policy: Policy | null | undefined;

const get = (): Policy | null => {
  if (policy === undefined) {
    const tt = (globalThis as { trustedTypes?: { createPolicy(name: string, rules: object): Policy } }).trustedTypes;
    try {
      policy = tt
        ? tt.createPolicy('touchpoint', {
            // Only http(s) URLs: never javascript: or data: (a held script's src is the page's own markup, still checked).
            createScriptURL: (url: string) => {
              const u = new URL(url, document.baseURI);
              if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new TypeError(`touchpoint: not a script URL: ${u.protocol}`);
              return u.href;
            },
            createScript: (text: string) => text,
          })
        : null;
    } catch {
      policy = null;
    }
  }
  return policy;
};

/** `url` as a TrustedScriptURL where Trusted Types are enforced, else as is. */
export const scriptUrl = (url: string): string => (get()?.createScriptURL(url) as string | undefined) ?? url;

/** A held inline script's text as a TrustedScript where Trusted Types are enforced, else as is. */
export const scriptText = (text: string): string => (get()?.createScript(text) as string | undefined) ?? text;
