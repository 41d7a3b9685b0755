import type { Touchpoint } from '../types.js';
import type { Call, Queued } from './call-queue.js';

/** The consent methods the snippet stubs (src/snippet/snippet.js). */
type ConsentCall = 'set' | 'grantAll' | 'denyAll' | 'show';

/**
 * The calls a page made before the SDK loaded (the snippet's queue), in
 * order: events keep their time and page; `consent.*`, `reset` and `flush`
 * run on the SDK. `survey.*` is left to the survey chunk, which owns
 * `touchpoint.survey`. A bad call never stops the others.
 */
export const replayPreInit = (tp: Touchpoint, call: Call, queued: Queued[]): void => {
  for (const [method, args, timestamp, page] of queued) {
    try {
      const [a, b] = method.split('.') as [string, ConsentCall | undefined];
      if (a == 'consent') (tp.consent[b!] as (...x: unknown[]) => void)(...args);
      else if (a == 'reset' || a == 'flush') void tp[a]();
      else if (!b) call(a, args, timestamp, page);
    } catch {
      // A bad queued call must not stop the others.
    }
  }
};
