import { isBrowser } from './lib/is-browser.js';
import { createNoopTouchpoint } from './noop-touchpoint.js';
import { createBrowserTouchpoint } from './touchpoint.js';
import type { EventMap, Touchpoint, TouchpointOptions } from './types.js';

/**
 * Creates the SDK. Safe everywhere: during server rendering (no DOM) it
 * returns a no-op with the same API, so shared code needs no guard.
 */
export const createTouchpoint = <E extends EventMap = EventMap>(options: TouchpointOptions): Touchpoint<E> =>
  (isBrowser() ? createBrowserTouchpoint(options) : createNoopTouchpoint()) as Touchpoint<E>;
