import { scriptUrl } from './trusted-types.js';

/**
 * The IANA time zone, computed off the main thread. The first Intl formatter
 * of a page initialises ICU: 20–45 ms of main thread on a fast machine, over
 * 100 ms with 4× CPU throttling — the one long task the SDK caused at load.
 * A throwaway worker pays it instead. The worker is a file beside this chunk
 * (not a blob), so a strict CSP that allows our scripts allows it too; where
 * it cannot run (a cross-origin CDN — workers must be same-origin — or no
 * worker support), the main thread pays, once. Its URL goes through the
 * `touchpoint` Trusted Types policy (lib/trusted-types.ts).
 */
export const timezone = (): Promise<string | undefined> =>
  new Promise<string | undefined>((resolve) => {
    const here = () => resolve(Intl.DateTimeFormat().resolvedOptions().timeZone);
    try {
      const w = new Worker(scriptUrl(new URL('timezone-worker.js', import.meta.url).href));
      const done = (tz?: string) => {
        w.terminate();
        if (tz) resolve(tz);
        else here();
      };
      w.onmessage = (e: MessageEvent<string>) => done(e.data);
      w.onerror = () => done();
      // A worker that never starts must not hold events back.
      setTimeout(done, 3e3);
    } catch {
      here();
    }
  }).catch(() => undefined);
