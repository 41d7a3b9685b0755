import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createTouchpoint } from 'touchpoint';
import 'touchpoint/components/consent-banner';
import 'touchpoint/components/chat-launcher';
import 'touchpoint/components/survey';
// JSX types for <tp-*> elements: props, attributes and `on<event>` handlers, from custom-elements.json.
import type {} from 'touchpoint/react';

// Create the SDK once, outside components (StrictMode renders twice; the SDK must not start twice).
// Where the Touchpoint server is when it is not this page's origin (in your app: endpoint: 'https://cx.example').
// The demo server writes it into the page; without it the SDK sends to this origin.
const endpoint = document.querySelector<HTMLMetaElement>('meta[name="touchpoint-endpoint"]')?.content || undefined;
const tp = createTouchpoint({ siteKey: 'demo', endpoint, consent: { mode: 'opt-in', policyVersion: 'react-example' } });
Object.assign(window, { touchpoint: tp });

function App() {
  const [status, setStatus] = useState('');
  const [unread, setUnread] = useState(0);
  tp.on('delivery', (r, n) => setStatus(`Sent ${n} item(s): HTTP ${r.status}`));
  return (
    <main>
      <h1>React {unread ? `(${unread} unread)` : ''}</h1>
      <p>Touchpoint's elements in React 19: properties set as properties, events with <code>on</code> + the event name.</p>
      <button type="button" onClick={() => tp.track('Signed Up', { plan: 'pro', from: 'react' })}>
        Sign up
      </button>
      <p role="status">{status}</p>
      <tp-survey
        presentation="inline"
        definition={{ id: 'react-csat', version: 1, questions: [{ id: 'csat', type: 'csat' }] }}
        ontp-survey-answer={(e) => setStatus(`Answered ${e.detail.questionId}`)}
      ></tp-survey>
      <tp-consent-banner ontp-consent-change={(e) => setStatus(`Consent: ${e.detail.method}`)}></tp-consent-banner>
      <tp-chat-launcher site-key="demo" endpoint={endpoint} ontp-chat-unread-change={(e) => setUnread(e.detail.count)}></tp-chat-launcher>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
