import type { Consent } from '../core/consent.js';

type Gcm = 'granted' | 'denied';
const g = (on: boolean | undefined): Gcm => (on ? 'granted' : 'denied');

/** Touchpoint categories → Google Consent Mode v2 signals. */
export const gcmSignals = (c: Record<string, boolean>): Record<string, Gcm> => ({
  ad_storage: g(c.marketing),
  ad_user_data: g(c.marketing),
  ad_personalization: g(c.marketing),
  analytics_storage: g(c.analytics),
  functionality_storage: g(c.functional),
  personalization_storage: g(c.functional),
  security_storage: 'granted',
});

/**
 * Keeps Google Consent Mode v2 in sync with the consent engine:
 * `gtag('consent', 'default', …)` now (it must run before any Google tag:
 * load the banner early), then `gtag('consent', 'update', …)` on every
 * decision, and at once when a stored decision already exists. Returns the
 * remover and `sync`, the update of the state now.
 * See https://developers.google.com/tag-platform/security/guides/consent
 */
export const googleConsentMode = (consent: Consent): [off: () => void, sync: () => void] => {
  const w = window as unknown as { dataLayer?: unknown[]; gtag?: (...a: unknown[]) => void };
  w.dataLayer ??= [];
  // The official stub pushes `arguments` itself, not an array: gtag.js only reads that shape.
  const gtag =
    w.gtag ??
    (w.gtag = function () {
      // eslint-disable-next-line prefer-rest-params
      w.dataLayer!.push(arguments);
    });
  const state = consent.get();
  gtag('consent', 'default', { ...gcmSignals(state.decided ? {} : state.categories), wait_for_update: 500 });
  const sync = () => gtag('consent', 'update', gcmSignals(consent.get().categories));
  if (state.decided) sync();
  // `sync` also for the banner asking again: a decision the site's newer policy version made stale grants nothing, and Google's tags must hear it then, not at the next answer.
  return [consent.on('change', sync), sync];
};
