import { TpConsentBanner } from './consent-banner.component.js';
import type { ConsentMethod } from 'touchpoint/protocol';
import type { ConsentState } from 'touchpoint/host';

export { TpConsentBanner };
export default TpConsentBanner;

TpConsentBanner.define('tp-consent-banner');

declare global {
  interface HTMLElementTagNameMap {
    'tp-consent-banner': TpConsentBanner;
  }
  interface GlobalEventHandlersEventMap {
    'tp-consent-change': CustomEvent<{ state: ConsentState; method: ConsentMethod }>;
    'tp-consent-show': CustomEvent<undefined>;
    'tp-consent-hide': CustomEvent<undefined>;
  }
}
