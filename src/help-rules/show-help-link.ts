/**
 * A help link in a toast (a help rule's `link` action): plain DOM in a shadow
 * root, so the page's styles neither break it nor leak in, text set as text
 * (never markup), a polite live region so screen readers announce it, and a
 * close button. Its tag starts with `tp-`: friction tracking never counts
 * clicks on our own elements. One at a time: a newer toast replaces the last.
 */
export const showHelpLink = (text: string, url: string): HTMLElement => {
  document.querySelector('tp-help-toast')?.remove();
  const host = document.createElement('tp-help-toast');
  const root = host.attachShadow({ mode: 'open' });
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]>, ...kids: Node[]) => {
    const n = Object.assign(document.createElement(tag), props);
    n.append(...kids);
    return n;
  };
  const style = el('style', {
    textContent:
      ':host{position:fixed;inset:auto auto 1rem 1rem;z-index:var(--tp-z-index,2147483000);max-width:min(22rem,calc(100vw - 2rem));font:14px/1.4 system-ui,sans-serif}' +
      'div{display:flex;gap:.75rem;align-items:center;padding:.75rem 1rem;border-radius:.5rem;background:#1f2328;color:#fff;box-shadow:0 4px 16px #0004}' +
      'a{color:#9cd0ff;font-weight:600}button{margin-inline-start:auto;border:0;background:none;color:inherit;font-size:1.25rem;cursor:pointer;min-width:44px;min-height:44px}',
  });
  // A link elsewhere opens in a new tab (the visitor keeps their place, e.g. a cart); a path of the site in place.
  const external = /^https?:/.test(url) && new URL(url).origin !== location.origin;
  const link = el('a', { href: url, textContent: text, ...(external ? { target: '_blank', rel: 'noopener noreferrer' } : {}) });
  const close = el('button', { type: 'button', textContent: '×' });
  close.setAttribute('aria-label', 'Close');
  close.addEventListener('click', () => host.remove());
  root.append(style, el('div', { role: 'status' } as Partial<HTMLDivElement>, link, close));
  document.body.append(host);
  return host;
};
