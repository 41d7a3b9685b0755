import { createApp } from 'vue';
import { createTouchpoint } from 'touchpoint';
import 'touchpoint/components/consent-banner';
import 'touchpoint/components/chat-launcher';
import 'touchpoint/components/survey';
import App from './App.vue';

// Create the SDK once, before the app; the elements find it on window.touchpoint.
// Where the Touchpoint server is when it is not this page's origin (in your app: endpoint: 'https://cx.example').
// The demo server writes it into the page; without it the SDK sends to this origin.
const endpoint = document.querySelector<HTMLMetaElement>('meta[name="touchpoint-endpoint"]')?.content || undefined;
const tp = createTouchpoint({ siteKey: 'demo', endpoint, consent: { mode: 'opt-in', policyVersion: 'vue-example' } });
Object.assign(window, { touchpoint: tp });

createApp(App, { tp, endpoint }).mount('#app');
