import { warn } from './warn.js';

/**
 * Wraps a public method so that nothing it does can throw into the host page:
 * errors become a dev-mode warning. (The event methods return nothing: a call
 * only queues, so there is no promise to guard.)
 */
export const safe =
  <A extends unknown[]>(fn: (...args: A) => void) =>
  (...args: A): void => {
    try {
      fn(...args);
    } catch (e) {
      if (DEV_MODE) warn('internal', String(e));
    }
  };
