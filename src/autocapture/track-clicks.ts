import type { Call } from './start-autocapture.js';
import { clickTarget, describeElement } from './describe-element.js';

const DOWNLOAD = /\.(pdf|zip|gz|tgz|rar|7z|dmg|exe|msi|pkg|deb|rpm|apk|csv|xlsx?|docx?|pptx?|mp3|mp4|mov|epub)$/i;

/** Clicks on links and buttons, with outbound links and downloads named as such. */
export const trackClicks = (call: Call): void => {
  addEventListener(
    'click',
    (e) => {
      const el = clickTarget(e);
      if (!el) return;
      const d = describeElement(el);
      let name = 'Element Clicked';
      if (el instanceof HTMLAnchorElement && el.href) {
        const u = new URL(el.href, location.href);
        if (el.hasAttribute('download') || DOWNLOAD.test(u.pathname)) name = 'File Downloaded';
        else if (/^https?:$/.test(u.protocol) && u.hostname !== location.hostname) name = 'Outbound Link Clicked';
      }
      call('track', [name, d]);
    },
    { capture: true, passive: true },
  );
};
