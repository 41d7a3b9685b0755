import { tp } from './touchpoint.js';
import 'touchpoint/components/consent-banner';
import 'touchpoint/components/chat-launcher';

const status = document.querySelector<HTMLParagraphElement>('#status')!;
tp.on('delivery', (r, n) => (status.textContent = `Sent ${n} item(s): HTTP ${r.status}`));
document.querySelector('#signup')!.addEventListener('click', () => tp.track('Signed Up', { plan: 'pro', from: 'vite-ts' }));

// Typed events: `detail` is { count: number } here, from HTMLElementEventMap.
document.querySelector('tp-chat-launcher')!.addEventListener('tp-chat-unread-change', (e) => {
  document.title = e.detail.count ? `(${e.detail.count}) Vite + TypeScript — Touchpoint` : 'Vite + TypeScript — Touchpoint';
});
