import type { Touchpoint } from '../src/types.js';

/**
 * The consent policy version saved in the console (the site config's
 * `consent.policyVersion`), for a script tag that names none with
 * `data-policy-version`. The config is asked for only once the visitor has
 * decided — on an earlier page or this one: before a decision an opt-in page
 * makes no request of any kind (privacy.spec). Until it arrives, the stored
 * decision counts (kept until proven stale); if it never arrives, it stays.
 *
 * When the site's version is another one:
 * - a decision stored on an earlier page stops counting, as if the page had
 *   started under the new version (docs/consent.md, "Re-prompting"), and
 *   `ask` shows the banner;
 * - a decision made on this page was made on the banner the site shows now,
 *   whose version the page could not know before it: it is recorded again
 *   under the site's version (`carried`), so the next page does not ask twice.
 *
 * Resolves once settled: replay waits for it, so it never records on a
 * stale decision.
 */
export const followSitePolicy = (tp: Touchpoint, o: { siteKey: string; endpoint: string }, ask: () => void): Promise<void> =>
  new Promise((settled) => {
    const c = tp.consent;
    if (c.get().mode === 'none') return settled();
    let fresh = false;
    let checking = false;
    const check = () => {
      if (checking) return;
      checking = true;
      // The config helper by import(), as start-features does: replay and surveys share its chunk and its one fetch.
      void import('../src/lib/site-config.js')
        .then((m) => m.siteConfig(o.endpoint, o.siteKey))
        .then((config) => {
          off();
          const v = config?.consent.policyVersion;
          const s = c.get();
          if (!v || v === s.policyVersion) return;
          c.policy(v);
          // Another tab may have decided under `v` meanwhile: then that decision counts and no one is asked.
          if (s.decided && !c.get().decided) {
            if (fresh) c.set(s.categories, 'carried');
            else ask();
          }
        })
        .catch(() => {})
        .then(settled);
    };
    const off = c.on('change', () => {
      fresh = true;
      check();
    });
    if (c.get().decided) check();
  });
