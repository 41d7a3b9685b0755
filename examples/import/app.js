// The SDK as an app imports it. `createTouchpoint` is a silent no-op during
// server rendering, and no method throws into the page.
import { createTouchpoint } from 'touchpoint';

// Where the Touchpoint server is, when not on this page's origin (in your app: endpoint: 'https://cx.example').
// The demo server writes it into the page; without it the SDK sends to this origin.
const endpoint = document.querySelector('meta[name="touchpoint-endpoint"]')?.content || undefined;
const tp = createTouchpoint({ siteKey: 'demo', endpoint, consent: { mode: 'opt-in', policyVersion: 'import-example' } });
window.touchpoint = tp;

const status = document.querySelector('#status');
tp.on('delivery', (r, n) => (status.textContent = `Sent ${n} item(s): HTTP ${r.status}`));
document.querySelector('#allow').addEventListener('click', () => tp.consent.grantAll());
document.querySelector('#signup').addEventListener('click', () => tp.track('Signed Up', { plan: 'pro' }));
