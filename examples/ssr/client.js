// The browser half: the same import, now live.
import { createTouchpoint } from 'touchpoint';

// Where the Touchpoint server is when it is not this page's origin (in your app: endpoint: 'https://cx.example').
// The demo server writes it into the page; without it the SDK sends to this origin.
const endpoint = document.querySelector('meta[name="touchpoint-endpoint"]')?.content || undefined;
const tp = createTouchpoint({ siteKey: 'demo', endpoint, consent: { mode: 'opt-in', policyVersion: 'ssr-example' } });
window.touchpoint = tp;
const main = document.querySelector('main');
const status = document.querySelector('#status');
tp.on('delivery', (r, n) => (status.textContent = `Sent ${n} item(s): HTTP ${r.status}`));
document.querySelector('#allow').addEventListener('click', () => tp.consent.grantAll());
document.querySelector('#signup').addEventListener('click', () => tp.track('Signed Up', { plan: 'pro', from: 'ssr' }));
// Hydrated: the server's markup kept, now interactive.
main.dataset.hydrated = 'true';
