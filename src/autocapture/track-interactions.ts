import type { AutocaptureOptions } from '../types.js';
import type { Call } from './start-autocapture.js';
import { trackClicks } from './track-clicks.js';
import { trackErrors } from './track-errors.js';
import { trackForms } from './track-forms.js';

/**
 * Errors, clicks and forms: one lazy chunk, fetched at once (one request, and
 * one `import()` in the entry instead of three — bytes the 6 KB core needs).
 */
export const trackInteractions = (call: Call, o: AutocaptureOptions): void => {
  if (o.errors !== false) trackErrors(call);
  if (o.clicks !== false) trackClicks(call);
  if (o.forms !== false) trackForms(call);
};
