import type { Call } from './start-autocapture.js';
import { scrubUrl } from '../lib/scrub-url.js';

/**
 * A page view now, and on each SPA route change: pushState, replaceState (when
 * the path changes), popstate and, for hash routers, hashchange. The previous
 * URL becomes the referrer, so SPA page views don't all claim the landing referrer.
 */
export const trackPageViews = (call: Call, hashRoutes: boolean): void => {
  let last = location.href;
  const key = (u: string) => (hashRoutes ? u : u.split('#')[0]);
  call('page', []);
  const changed = () => {
    const now = location.href;
    if (key(now) === key(last)) return;
    const referrer = last;
    last = now;
    // After the router has updated the title (it usually does so right after pushState).
    // Scrubbed like context.page.referrer: the previous URL carried its ?token= too.
    setTimeout(() => call('page', [undefined, { referrer: scrubUrl(referrer) }]), 0);
  };
  for (const m of ['pushState', 'replaceState'] as const) {
    const orig = history[m];
    history[m] = function (this: History, ...args: Parameters<History['pushState']>) {
      const r = orig.apply(this, args);
      changed();
      return r;
    };
  }
  addEventListener('popstate', changed);
  if (hashRoutes) addEventListener('hashchange', changed);
};
