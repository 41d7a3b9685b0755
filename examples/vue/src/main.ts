import { createApp } from 'vue';
import { createTouchpoint } from 'touchpoint';
import 'touchpoint/components/consent-banner';
import 'touchpoint/components/chat-launcher';
import 'touchpoint/components/survey';
import App from './App.vue';

// Create the SDK once, before the app; the elements find it on window.touchpoint.
const tp = createTouchpoint({ siteKey: 'demo', consent: { mode: 'opt-in', policyVersion: 'vue-example' } });
Object.assign(window, { touchpoint: tp });

createApp(App, { tp }).mount('#app');
