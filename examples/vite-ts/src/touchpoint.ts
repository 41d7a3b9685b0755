import { createTouchpoint } from 'touchpoint';

// Its own module, imported first: modules run in import order, so the SDK is on
// window.touchpoint before the elements below upgrade and look for it.
export const tp = createTouchpoint({ siteKey: 'demo', consent: { mode: 'opt-in', policyVersion: 'vite-example' } });
Object.assign(window, { touchpoint: tp });
