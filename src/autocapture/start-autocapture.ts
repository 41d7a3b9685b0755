import type { AutocaptureOptions } from '../types.js';
import { trackErrors } from './track-errors.js';
import { trackPageViews } from './track-page-views.js';

export type Call = (method: string, args: unknown[]) => void;

/** Starts each automatic capture the options leave on; page views and errors at once, the rest from lazy chunks. */
export const startAutocapture = (call: Call, o: AutocaptureOptions): void => {
  const on = (k: keyof AutocaptureOptions) => o[k] !== false;
  if (on('pageViews')) trackPageViews(call, o.hashRoutes === true);
  if (on('errors')) trackErrors(call);
  // Clicks and forms come in their own chunk, fetched at once (not at idle):
  // the bytes stay out of the entry, and only the first instants go unseen.
  if (on('clicks')) void import('./track-clicks.js').then((m) => m.trackClicks(call)).catch(() => {});
  if (on('forms')) void import('./track-forms.js').then((m) => m.trackForms(call)).catch(() => {});
  const later = (fn: () => void) => ('requestIdleCallback' in globalThis ? requestIdleCallback(fn, { timeout: 5_000 }) : setTimeout(fn, 1_000));
  if (on('friction')) later(() => void import('./track-friction.js').then((m) => m.trackFriction(call)).catch(() => {}));
  if (on('webVitals')) later(() => void import('./track-web-vitals.js').then((m) => m.trackWebVitals(call)).catch(() => {}));
};
