/**
 * The script-tag build's entry. Reads its options from the `data-*`
 * attributes of its own <script> (or from the snippet), replays the calls the
 * snippet queued before it loaded — in order, with their original time and
 * page — and lazy-loads each feature from its own base URL only when needed.
 */
import { createBrowserTouchpoint, type CallSite } from '../touchpoint.js';
import { pageContextFrom } from '../core/page-context.js';
import type { ConsentMode } from '../core/consent.js';
import type { Touchpoint } from '../types.js';
import { warn } from '../lib/warn.js';

/** One queued call: method, arguments, ISO time, [href, title, referrer]. */
type Queued = [method: string, args: unknown[], timestamp: string, page: [string, string, string]];

interface Stub {
  q?: Queued[];
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
    warn('site-key', 'No site key: add data-site-key to the script tag.');
    return;
  }
  const tp = createBrowserTouchpoint({
    siteKey: o.siteKey,
    // Default to the origin the script came from: that is where the reference server lives.
    endpoint: o.endpoint ?? new URL(import.meta.url).origin,
    consent: { mode: (o.consent as ConsentMode | undefined) ?? 'opt-in', policyVersion: o.policyVersion },
    autocapture: o.autocapture === 'false' ? false : undefined,
  });
  const call = (tp as unknown as { _call: (m: string, a: unknown[], s?: CallSite) => void })._call;
  for (const [method, args, timestamp, [href, title, referrer]] of stub.q ?? []) {
    try {
      if (method.startsWith('consent.')) (tp.consent as unknown as Record<string, (...a: unknown[]) => void>)[method.slice(8)]!(...args);
      else if (method in { page: 1, track: 1, identify: 1, alias: 1, group: 1 }) call(method, args, { timestamp, page: pageContextFrom(href, title, referrer) });
      else (tp as unknown as Record<string, (...a: unknown[]) => void>)[method]!(...args);
    } catch {
      // A bad queued call must not stop the others.
    }
  }
  w.touchpoint = tp;
  const features = (o.features ?? '').split(/[\s,]+/);
  // Each feature is its own hashed chunk next to this file, fetched only when asked for.
  if (features.includes('replay')) void import('../replay/index.js').then((m) => m.startReplay(tp)).catch(() => {});
};

try {
  start();
} catch {
  // The host page must never see our failure.
}
