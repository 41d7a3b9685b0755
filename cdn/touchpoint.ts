/**
 * The script-tag build's entry. Reads its options from the `data-*`
 * attributes of its own <script> (or from the snippet), replays the calls the
 * snippet queued before it loaded — in order, with their original time and
 * page — and lazy-loads each feature from its own base URL only when needed.
 */
import { createBrowserTouchpoint } from '../src/touchpoint.js';
import type { Queued } from '../src/core/call-queue.js';
import type { ConsentMode } from '../src/core/consent.js';
import type { Touchpoint } from '../src/types.js';
import { nextTask } from '../src/lib/next-task.js';
import { warn } from '../src/lib/warn.js';
import type { FeatureOptions } from './start-features.js';

interface Stub {
  q?: Queued[];
  /** The snippet's `survey.show` stub. */
  survey?: unknown;
  /** Options the snippet passed (mirrors the data attributes). */
  o?: Record<string, string>;
}

declare global {
  interface Window {
    touchpoint?: Touchpoint | Stub;
  }
}

const start = () => {
  const w = window;
  const stub = (w.touchpoint ?? {}) as Stub;
  if ('track' in stub && !('q' in stub)) return; // already running (script included twice)
  const script = document.querySelector<HTMLScriptElement>('script[data-site-key]');
  const o: Record<string, string | undefined> = { ...script?.dataset, ...stub.o };
  if (!o.siteKey) {
    if (DEV_MODE) warn('site-key', 'No site key: add data-site-key to the script tag.');
    return;
  }
  // Default to the origin the script came from: that is where the reference server lives.
  const endpoint = o.endpoint ?? new URL(import.meta.url).origin;
  // The snippet's queued calls run in order, with their original time and page (replay-pre-init.ts).
  const tp = createBrowserTouchpoint(
    {
      siteKey: o.siteKey,
      endpoint,
      consent: { mode: o.consent as ConsentMode | undefined, policyVersion: o.policyVersion },
      autocapture: o.autocapture === 'false' ? false : undefined,
      // data-url-allow-list="state code": keys the URL scrubber keeps (docs/sdk.md, "URLs").
      urlAllowList: o.urlAllowList?.split(/[\s,]+/),
    },
    stub.q,
  );
  w.touchpoint = tp;

  // The consent banner is a lazy chunk, fetched only when it has work to do:
  // a decision is needed, Consent Mode must be kept in sync, scripts wait for
  // consent, the site asked for it, or the visitor wants to change a choice.
  let banner: Promise<{ showPreferences(): void; open: boolean } | void> | undefined;
  const ensureBanner = () => (banner ??= import('../components/consent-banner/mount-consent-banner.js').then((m) => m.mountConsentBanner(o), () => {}));
  const state = tp.consent.get();
  const reopen = (e?: Event) => {
    if (banner && e) return; // loaded: the banner handles its own openers
    e?.preventDefault();
    void ensureBanner().then((b) => b?.showPreferences());
  };
  tp.consent.on('show', () => reopen());
  document.addEventListener('click', (e) => (e.target as Element | null)?.closest?.('[data-tp-consent-open]') && reopen(e));
  // Until the survey chunk loads, `touchpoint.survey.show()` queues like the snippet's stub.
  const q = (stub.q ??= []);
  (tp as { survey?: unknown }).survey = stub.survey ?? { show: (...args: unknown[]) => q.push(['survey.show', args] as unknown as Queued) };
  // In a task of their own: a page's first import() costs 10–25 ms on a throttled CPU (issue #4).
  void nextTask().then(() => {
    if (/consent/.test(o.features!) || !state.decided || o.googleConsentMode !== undefined || document.querySelector('script[data-tp-consent]')) void ensureBanner();
    // Replay, surveys and chat live in one small lazy chunk that loads each on its own terms; so does following the site's policy version.
    void import('./start-features.js').then((m) => m.startFeatures(tp, { ...o, endpoint } as FeatureOptions, q, ensureBanner), () => {});
  });
};

try {
  start();
} catch {
  // The host page must never see our failure.
}
