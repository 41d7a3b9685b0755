import type { Call } from './start-autocapture.js';
import { clickTarget, describeElement } from './describe-element.js';

/** Published definitions (docs/sdk.md#friction): */
/** Rage click: at least 3 clicks within 1 s and 30 px of each other. */
export const RAGE = { clicks: 3, ms: 1_000, px: 30 };
/** Dead click: an interactive target with no DOM change, navigation, scroll or selection within 2.5 s. */
export const DEAD_MS = 2_500;
/** Error click: an uncaught error within 1 s after a click. */
export const ERROR_CLICK_MS = 1_000;

/**
 * A click on one of Touchpoint's own elements (`tp-*`: the chat, the survey, the
 * banner) is never the site's friction: a visitor opening the chat is not a dead click.
 */
const ours = (path: EventTarget[]) => path.some((n) => n instanceof Element && n.localName.startsWith('tp-'));

/** Rage, dead and error clicks. Loaded lazily when the page is idle. */
export const trackFriction = (call: Call): void => {
  let clicks: { x: number; y: number; t: number }[] = [];
  let lastClick: { t: number; d: Record<string, unknown> } | undefined;
  let changedAt = 0;
  const mark = () => (changedAt = performance.now());
  new MutationObserver(mark).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  for (const ev of ['scroll', 'popstate', 'hashchange', 'selectionchange']) addEventListener(ev, mark, { capture: true, passive: true });
  document.addEventListener('selectionchange', mark);

  addEventListener('tp-error-captured', () => {
    if (lastClick && performance.now() - lastClick.t <= ERROR_CLICK_MS) call('track', ['Error Click', lastClick.d]);
  });

  addEventListener(
    'click',
    (e) => {
      const path = e.composedPath();
      if (ours(path)) return;
      const t = performance.now();
      const el = clickTarget(e) ?? (e.target instanceof Element ? e.target : undefined);
      const d = el ? describeElement(el) : {};
      lastClick = { t, d };
      clicks = clicks.filter((c) => t - c.t <= RAGE.ms && Math.hypot(c.x - e.clientX, c.y - e.clientY) <= RAGE.px);
      clicks.push({ x: e.clientX, y: e.clientY, t });
      if (clicks.length === RAGE.clicks) call('track', ['Rage Click', { ...d, clicks: RAGE.clicks }]);
      if (clickTarget(e)) {
        const href = location.href;
        // The document's observer does not see into shadow roots: watch the ones this click went through
        // (a component that re-renders inside itself answered the click).
        const inside = new MutationObserver(mark);
        for (const n of path) if (n instanceof ShadowRoot) inside.observe(n, { subtree: true, childList: true, attributes: true, characterData: true });
        setTimeout(() => {
          inside.disconnect();
          if (changedAt < t && location.href === href && document.visibilityState === 'visible') call('track', ['Dead Click', d]);
        }, DEAD_MS);
      }
    },
    { capture: true, passive: true },
  );
};
