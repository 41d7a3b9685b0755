import { nextTask } from 'touchpoint/host';
import { TpConsentBanner } from './consent-banner.js';

/**
 * Puts a banner on the page for the script-tag build (lazy chunk): the one on
 * the page if the site placed its own, else a new one at the end of <body>.
 */
export const mountConsentBanner = async (o: { googleConsentMode?: string | undefined; policyUrl?: string | undefined }): Promise<TpConsentBanner> => {
  // Rendered in the task after this chunk's evaluation: together they were one long task.
  await nextTask();
  return (
    document.querySelector('tp-consent-banner') ??
    document.body.appendChild(Object.assign(new TpConsentBanner(), { googleConsentMode: o.googleConsentMode !== undefined, policyUrl: o.policyUrl }))
  );
};
