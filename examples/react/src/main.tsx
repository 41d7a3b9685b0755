import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createTouchpoint } from 'touchpoint';
// The elements as React components (registered by this import), the SDK's provider and hooks.
import { ChatLauncher, ConsentBanner, Survey, TouchpointProvider, useTouchpoint, useTouchpointEvent } from 'touchpoint/react';
import type { SurveyDefinition } from 'touchpoint/protocol';

// Create the SDK once, outside components (StrictMode renders twice; the SDK must not start twice).
// Where the Touchpoint server is when it is not this page's origin (in your app: endpoint: 'https://cx.example').
// The demo server writes it into the page; without it the SDK sends to this origin.
const endpoint = document.querySelector<HTMLMetaElement>('meta[name="touchpoint-endpoint"]')?.content || undefined;
const tp = createTouchpoint({ siteKey: 'demo', endpoint, consent: { mode: 'opt-in', policyVersion: 'react-example' } });
// The elements of this release still look for the SDK on window (the provider also hands it to them as a property).
Object.assign(window, { touchpoint: tp });

const csat: SurveyDefinition = { id: 'react-csat', version: 1, questions: [{ id: 'csat', type: 'csat' }] };

function App() {
  const touchpoint = useTouchpoint();
  const [status, setStatus] = useState('');
  const [unread, setUnread] = useState(0);
  // Subscribed once while App is mounted (a bare tp.on() here would add a listener on every render).
  useTouchpointEvent('delivery', (r, n) => setStatus(`Sent ${n} item(s): HTTP ${r.status}`));
  return (
    <main>
      <h1>React {unread ? `(${unread} unread)` : ''}</h1>
      <p>
        Touchpoint's elements as React components from <code>touchpoint/react</code>: properties as props, events as <code>onSurveyAnswer</code>-style props.
      </p>
      <button type="button" onClick={() => touchpoint.track('Signed Up', { plan: 'pro', from: 'react' })}>
        Sign up
      </button>
      <p role="status">{status}</p>
      <Survey presentation="inline" definition={csat} onSurveyAnswer={(e) => setStatus(`Answered ${e.detail.questionId}`)} />
      <ConsentBanner onConsentChange={(e) => setStatus(`Consent: ${e.detail.method}`)} />
      <ChatLauncher siteKey="demo" endpoint={endpoint} onChatUnreadChange={(e) => setUnread(e.detail.count)} />
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <TouchpointProvider touchpoint={tp}>
      <App />
    </TouchpointProvider>
  </StrictMode>,
);
