import { createTouchpoint } from 'touchpoint';

// Its own module, imported first: modules run in import order, so the SDK is on
// window.touchpoint before the elements below upgrade and look for it.
// Where the Touchpoint server is when it is not this page's origin (in your app: endpoint: 'https://cx.example').
// The demo server writes it into the page; without it the SDK sends to this origin.
const endpoint = document.querySelector<HTMLMetaElement>('meta[name="touchpoint-endpoint"]')?.content || undefined;
export const tp = createTouchpoint({ siteKey: 'demo', endpoint, consent: { mode: 'opt-in', policyVersion: 'vite-example' } });
Object.assign(window, { touchpoint: tp });
