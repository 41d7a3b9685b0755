import { scriptText, scriptUrl } from '../lib/trusted-types.js';

/**
 * Activates scripts held back until consent:
 *
 *   <script type="text/plain" data-tp-consent="analytics" src="…"></script>
 *   <script type="text/plain" data-tp-consent="marketing analytics">…inline…</script>
 *
 * A script runs once every category it names is granted, in document order:
 * each external script is awaited before the next, as the parser would.
 * `data-tp-type="module"` restores a module script. The nonce is copied from
 * the property (browsers hide it from getAttribute), so strict-CSP pages work;
 * the source goes through the `touchpoint` Trusted Types policy, so pages that
 * require Trusted Types work too (lib/trusted-types.ts).
 */
export const unblockScripts = async (granted: (category: string) => boolean, root: ParentNode = document): Promise<number> => {
  let n = 0;
  for (const held of root.querySelectorAll<HTMLScriptElement>('script[type="text/plain"][data-tp-consent]:not([data-tp-done])')) {
    const categories = held.dataset.tpConsent!.split(/[\s,]+/).filter(Boolean);
    if (!categories.every(granted)) continue;
    held.dataset.tpDone = '';
    const s = document.createElement('script');
    for (const a of held.attributes) if (!/^(src|type|data-tp-consent|data-tp-done|data-tp-type)$/.test(a.name)) s.setAttribute(a.name, a.value);
    s.type = held.dataset.tpType ?? 'text/javascript';
    if (held.nonce) s.nonce = held.nonce;
    n++;
    if (held.src) {
      s.src = scriptUrl(held.src);
      s.async = false;
      await new Promise<void>((resolve) => {
        s.onload = s.onerror = () => resolve();
        held.replaceWith(s);
      });
    } else {
      s.text = scriptText(held.text);
      held.replaceWith(s);
    }
  }
  return n;
};
