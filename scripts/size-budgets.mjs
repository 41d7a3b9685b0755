// The one list of size budgets (gzip bytes). `npm test` fails when a build
// breaks one; bench/ prints them beside the anchors. Tighten as reality
// allows; never loosen one without saying why in the commit.
export const BUDGETS = [
  { name: 'snippet', chunk: 'snippet.min.js', limit: 700, note: 'classic <head> stub' },
  { name: 'core (script-tag entry)', chunk: 'touchpoint', limit: 6 * 1024, note: 'entry + static imports' },
  // One chunk for what every page loads in its first second (rollup.config.mjs START_UP, issue #21): the rows of
  // the outbox (2.5 KB), page views + errors + clicks + forms (2), friction (1.5) and web vitals (3) merged, no more
  // bytes in total; the device facts, the drain and the features' starter, unbudgeted chunks before, count in it now.
  { name: 'start-up (outbox, capture, friction, vitals)', chunk: 'start-up', limit: 9 * 1024, note: 'lazy, at start: outbox, drain, device facts, automatic capture, friction, web vitals, features starter' },
  { name: 'attribution classifier', chunk: 'touch-from-url', limit: 2 * 1024, note: 'lazy, on a new touch' },
  // Counted beside the start-up chunk (the IndexedDB outbox code, which replay shares with event delivery).
  { name: 'replay (with @rrweb/record)', chunk: 'replay', after: 'start-up', limit: 25 * 1024, note: 'lazy, on consent + sampling' },
  { name: 'consent banner (with lit)', dir: 'dist/elements', chunk: 'consent-banner', limit: 10 * 1024, note: 'npm element / script-tag chunk shares lit' },
  { name: 'consent banner, script tag', chunk: 'mount-consent-banner', limit: 10 * 1024, note: 'lazy chunks, lit shared with other features' },
  { name: 'consent preferences', dir: 'dist/elements', chunk: 'consent-preferences', after: 'consent-banner', limit: 2 * 1024, note: 'lazy, on Customize' },
  { name: 'chat launcher (with lit)', dir: 'dist/elements', chunk: 'chat-launcher', limit: 10 * 1024, note: 'npm element, before intent' },
  { name: 'chat panel', dir: 'dist/elements', chunk: 'chat-panel', after: 'chat-launcher', limit: 20 * 1024, note: 'more, loaded on intent' },
  { name: 'survey (with lit)', dir: 'dist/elements', chunk: 'survey', limit: 12 * 1024, note: 'npm element' },
  { name: 'help rules', chunk: 'start-help-rules', limit: 2.75 * 1024, note: 'lazy, only when the site config has rules (with the host and path helpers it shares with surveys)' },
  { name: 'survey triggers + element', chunk: 'mount-surveys', after: 'mount-consent-banner', limit: 12 * 1024, note: 'script-tag chunk, beside the banner' },
];
