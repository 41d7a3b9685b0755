import { createConsent } from './core/consent.js';
import type { Touchpoint } from './types.js';

/**
 * What `createTouchpoint()` returns where there is no DOM (server rendering,
 * workers): every method exists and does nothing, so shared code needs no guard.
 */
export const createNoopTouchpoint = (): Touchpoint => {
  const nothing = () => {};
  const done = async () => {};
  return {
    page: nothing,
    track: nothing,
    identify: nothing,
    alias: nothing,
    group: nothing,
    reset: done,
    flush: done,
    on: () => nothing,
    consent: createConsent({ mode: 'opt-in' }),
    ready: done,
    anonymousId: '',
    sessionId: undefined,
    use: nothing,
  };
};
