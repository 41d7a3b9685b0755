import { warn } from './warn.js';

/**
 * Wraps a public method so that nothing it does can throw into the host page:
 * errors become a dev-mode warning and an `undefined` result; rejected
 * promises are swallowed the same way.
 */
export const safe =
  <A extends unknown[], R>(fn: (...args: A) => R) =>
  (...args: A): R | undefined => {
    try {
      const r = fn(...args);
      if (r instanceof Promise) r.catch((e) => {
        if (DEV_MODE) warn('internal', String(e));
      });
      return r;
    } catch (e) {
      if (DEV_MODE) warn('internal', String(e));
      return undefined;
    }
  };
