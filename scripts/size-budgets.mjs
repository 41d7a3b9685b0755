// The one list of size budgets (gzip bytes). `npm test` fails when a build
// breaks one; bench/ prints them beside the anchors. Tighten as reality
// allows; never loosen one without saying why in the commit.
export const BUDGETS = [
  { name: 'snippet', chunk: 'snippet.min.js', limit: 700, note: 'classic <head> stub' },
  { name: 'core (script-tag entry)', chunk: 'touchpoint', limit: 6 * 1024, note: 'entry + static imports' },
  { name: 'outbox (IndexedDB)', chunk: 'idb-outbox', limit: 2.5 * 1024, note: 'lazy, once storage is allowed' },
  { name: 'attribution classifier', chunk: 'touch-from-url', limit: 2 * 1024, note: 'lazy, on a new touch' },
  { name: 'page views + errors + clicks + forms', chunk: 'start-autocapture', limit: 2 * 1024, note: 'lazy, at start (loads friction and vitals at idle)' },
  { name: 'friction signals', chunk: 'track-friction', after: 'start-autocapture', limit: 1.5 * 1024, note: 'lazy, at idle' },
  { name: 'web vitals', chunk: 'track-web-vitals', limit: 3 * 1024, note: 'lazy, at idle' },
  // Counted beside the IndexedDB outbox code, which replay shares with event delivery.
  { name: 'replay (with @rrweb/record)', chunk: 'replay', after: 'idb-outbox', limit: 25 * 1024, note: 'lazy, on consent + sampling' },
  { name: 'consent banner (with lit)', dir: 'dist/elements', chunk: 'consent-banner', limit: 10 * 1024, note: 'npm element / script-tag chunk shares lit' },
  { name: 'consent banner, script tag', chunk: 'mount-consent-banner', limit: 10 * 1024, note: 'lazy chunks, lit shared with other features' },
  { name: 'consent preferences', dir: 'dist/elements', chunk: 'consent-preferences', after: 'consent-banner', limit: 2 * 1024, note: 'lazy, on Customize' },
  { name: 'chat launcher (with lit)', dir: 'dist/elements', chunk: 'chat-launcher', limit: 10 * 1024, note: 'npm element, before intent' },
  { name: 'chat panel', dir: 'dist/elements', chunk: 'chat-panel', after: 'chat-launcher', limit: 20 * 1024, note: 'more, loaded on intent' },
  { name: 'survey (with lit)', dir: 'dist/elements', chunk: 'survey', limit: 12 * 1024, note: 'npm element' },
  { name: 'help rules', chunk: 'start-help-rules', limit: 2.75 * 1024, note: 'lazy, only when the site config has rules (with the host and path helpers it shares with surveys)' },
  { name: 'survey triggers + element', chunk: 'mount-surveys', after: 'mount-consent-banner', limit: 12 * 1024, note: 'script-tag chunk, beside the banner' },
];
