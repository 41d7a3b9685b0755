/**
 * Calls `fn` when the page may be about to go away: `visibilitychange` to
 * hidden (the last event mobile browsers reliably fire on app switch) and
 * `pagehide` (bfcache, desktop close). Never `unload`/`beforeunload`: they
 * break the back/forward cache and don't fire on mobile.
 */
export const onPageHide = (fn: () => void): void => {
  // On `document`, not `window`: Safari before 14 never fired it on window.
  document.addEventListener('visibilitychange', () => document.hidden && fn());
  addEventListener('pagehide', fn);
};
