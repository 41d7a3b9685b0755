import type { Attribution, Touch } from '../protocol/context.js';
import { readStored, writeStored } from '../lib/storage.js';
import { KEYS } from '../lib/storage-keys.js';

/**
 * First, session-entry and last (non-direct) touch. First is set once per
 * visitor; session at each session start; last whenever a non-direct touch
 * arrives — so a direct return visit doesn't erase the campaign that brought
 * the visitor (last non-direct click, as GA does).
 */
export const createAttribution = () => {
  let a: Attribution = {};
  let persist = false;
  // `__` members: only the SDK's parts call them, and terser mangles them (bytes of the 6 KB core).
  return {
    __get: (): Attribution => a,
    __persist(p: boolean) {
      persist = p;
      if (p) {
        const stored = readStored<Attribution>(KEYS.localStorage.attribution);
        const made = a.first; // a touch recorded in memory before storage was allowed
        a = { ...a, ...stored, first: stored?.first ?? made };
        // Nothing recorded yet: nothing to write (a write of `{}` in the start-up task, for nothing).
        if (made) writeStored(KEYS.localStorage.attribution, a);
      }
    },
    /** Records a page load's touch; `sessionStart` tells whether it opened a session. */
    __add(touch: Touch | undefined, sessionStart: boolean) {
      const t = touch ?? (sessionStart ? ({ channel: 'Direct', source: '(direct)', medium: '(none)', timestamp: new Date().toISOString() } as Touch) : undefined);
      if (!t) return;
      a.first ??= t;
      if (sessionStart || (touch && touch.channel !== 'Direct')) a.session = sessionStart ? t : (a.session ?? t);
      if (t.channel !== 'Direct' || !a.last) a.last = t;
      if (persist) writeStored(KEYS.localStorage.attribution, a);
    },
    __forget() {
      a = {};
    },
  };
};
export type AttributionStore = ReturnType<typeof createAttribution>;
