// The SDK as an app imports it. `createTouchpoint` is a silent no-op during
// server rendering, and no method throws into the page.
import { createTouchpoint } from 'touchpoint';

const tp = createTouchpoint({ siteKey: 'demo', consent: { mode: 'opt-in', policyVersion: 'import-example' } });
window.touchpoint = tp;

const status = document.querySelector('#status');
tp.on('delivery', (r, n) => (status.textContent = `Sent ${n} item(s): HTTP ${r.status}`));
document.querySelector('#allow').addEventListener('click', () => tp.consent.grantAll());
document.querySelector('#signup').addEventListener('click', () => tp.track('Signed Up', { plan: 'pro' }));
