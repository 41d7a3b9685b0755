import { scriptUrl } from './trusted-types.js';

/** Temporal (Chrome 144+, Firefox 139+), not yet in TypeScript's lib. */
declare const Temporal: { Now?: { timeZoneId?(): string } } | undefined;

/**
 * The IANA time zone, without ICU's start-up on the main thread. The first
 * Intl formatter of a page initialises ICU: 20–45 ms of main thread on a fast
 * machine, 90–200 ms with 4× CPU throttling — the one long task the SDK
 * caused at load. `Temporal.Now.timeZoneId()` answers the same (checked under
 * emulated zones) in 0.1 ms at 4× throttling, where browsers have it: no
 * worker then, whose start was a dozen main-thread tasks and ~10–35 ms (bench
 * 04, issue #21). Elsewhere a throwaway worker pays the ICU start instead.
 * The worker is a file beside this chunk (not a blob), so a strict CSP that
 * allows our scripts allows it too; where it cannot run (a cross-origin CDN —
 * workers must be same-origin — or no worker support), the main thread pays,
 * once. Its URL goes through the `touchpoint` Trusted Types policy
 * (lib/trusted-types.ts).
 */
export const timezone = (): Promise<string | undefined> =>
  new Promise<string | undefined>((resolve) => {
    const here = () => resolve(Intl.DateTimeFormat().resolvedOptions().timeZone);
    let now: string | undefined;
    try {
      // typeof: a browser without Temporal has no such binding at all.
      now = typeof Temporal === 'object' ? Temporal?.Now?.timeZoneId?.() : undefined;
    } catch {
      // An unfinished Temporal: the worker answers.
    }
    if (now) return resolve(now);
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
