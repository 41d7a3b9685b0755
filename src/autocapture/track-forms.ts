import type { Call } from './start-autocapture.js';
import { scrubUrl } from '../lib/scrub-url.js';

/** Form submissions: which form, never what was typed in it. */
export const trackForms = (call: Call): void => {
  addEventListener(
    'submit',
    (e) => {
      const f = e.target;
      if (!(f instanceof HTMLFormElement)) return;
      const d: Record<string, unknown> = { fields: f.elements.length };
      if (f.id) d.id = f.id;
      const name = f.getAttribute('name');
      if (name) d.name = name;
      if (f.getAttribute('action')) d.action = scrubUrl(f.action);
      d.method = f.method;
      call('track', ['Form Submitted', d]);
    },
    { capture: true, passive: true },
  );
};
