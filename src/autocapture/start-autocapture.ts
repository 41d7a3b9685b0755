import type { AutocaptureOptions } from '../types.js';
import { trackPageViews } from './track-page-views.js';

export type Call = (method: string, args: unknown[]) => void;

/** Starts each automatic capture the options leave on: page views at once, the rest from lazy chunks. */
export const startAutocapture = (call: Call, o: AutocaptureOptions): void => {
  const on = (k: keyof AutocaptureOptions) => o[k] !== false;
  if (on('pageViews')) trackPageViews(call, o.hashRoutes === true);
  // Errors, clicks and forms come in one chunk, fetched at once (not at idle):
  // the SDK itself loads asynchronously, so these few extra milliseconds
  // change nothing about what is seen, and the entry stays small.
  void import('./track-interactions.js').then((m) => m.trackInteractions(call, o)).catch(() => {});
  const later = (fn: () => void) => ('requestIdleCallback' in globalThis ? requestIdleCallback(fn, { timeout: 5_000 }) : setTimeout(fn, 1_000));
  if (on('friction')) later(() => void import('./track-friction.js').then((m) => m.trackFriction(call)).catch(() => {}));
  if (on('webVitals')) later(() => void import('./track-web-vitals.js').then((m) => m.trackWebVitals(call)).catch(() => {}));
};
