import { createApp } from 'vue';
import { createTouchpoint } from 'touchpoint';
import { touchpointPlugin } from 'touchpoint/vue';
import 'touchpoint/components/consent-banner';
import 'touchpoint/components/chat-launcher';
import 'touchpoint/components/survey';
import App from './App.vue';

// Create the SDK once, before the app; the plugin provides it (useTouchpoint(), v-touchpoint on the elements).
// Where the Touchpoint server is when it is not this page's origin (in your app: endpoint: 'https://cx.example').
// The demo server writes it into the page; without it the SDK sends to this origin.
const endpoint = document.querySelector<HTMLMetaElement>('meta[name="touchpoint-endpoint"]')?.content || undefined;
const tp = createTouchpoint({ siteKey: 'demo', endpoint, consent: { mode: 'opt-in', policyVersion: 'vue-example' } });
// The elements of this release still look for the SDK on window (v-touchpoint also hands it to them as a property).
Object.assign(window, { touchpoint: tp });

createApp(App, { endpoint }).use(touchpointPlugin, tp).mount('#app');
