import type { AutocaptureOptions } from '../types.js';
import { trackClicks } from './track-clicks.js';
import { trackErrors } from './track-errors.js';
import { trackForms } from './track-forms.js';
import { trackPageViews } from './track-page-views.js';

export type Call = (method: string, args: unknown[]) => void;

/**
 * Starts each automatic capture the options leave on. The SDK loads it as one
 * lazy chunk (one `import()` in the 6 KB entry instead of five): page views,
 * errors, clicks and forms at once; friction signals and web vitals, chunks
 * of their own, when the browser is idle. The SDK itself loads
 * asynchronously, so the milliseconds this chunk takes change nothing a
 * visitor sees; a route change before it arrives is counted by the first
 * page view, made at the current URL (the landing touch was read at start).
 */
export const startAutocapture = (call: Call, o: AutocaptureOptions): void => {
  if (o.pageViews !== false) trackPageViews(call, o.hashRoutes === true);
  if (o.errors !== false) trackErrors(call);
  if (o.clicks !== false) trackClicks(call);
  if (o.forms !== false) trackForms(call);
  const later = (fn: () => void) => ('requestIdleCallback' in globalThis ? requestIdleCallback(fn, { timeout: 5_000 }) : setTimeout(fn, 1_000));
  if (o.friction !== false) later(() => void import('./track-friction.js').then((m) => m.trackFriction(call)).catch(() => {}));
  if (o.webVitals !== false) later(() => void import('./track-web-vitals.js').then((m) => m.trackWebVitals(call)).catch(() => {}));
};
