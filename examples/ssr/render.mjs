// Server rendering with Touchpoint: the SDK is imported and called on the
// server like anywhere else — and there it is a silent no-op (no window, no
// storage, no network, nothing thrown). The browser then "hydrates": the same
// code creates the real SDK and upgrades the elements already in the markup.
import { createTouchpoint } from 'touchpoint';

// `server`: the Touchpoint server's origin when it is not the page's (the npm build and the API are there).
export function render({ path = '/', server = '' } = {}) {
  const tp = createTouchpoint({ siteKey: 'demo' });
  // On the server: no-ops, never throws (what a shared component would call during render).
  tp.page();
  tp.track('Rendered', { path });
  tp.identify('someone', { plan: 'pro' });
  const escape = (s) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Server-rendered — Touchpoint</title>
    ${server ? `<meta name="touchpoint-endpoint" content="${escape(server)}" />` : ''}
    <script type="importmap">{ "imports": { "touchpoint": "${escape(server)}/npm/index.js", "idb": "${escape(server)}/vendor/idb/index.js" } }</script>
    <script type="module" src="/ssr/client.js"></script>
  </head>
  <body>
    <main data-rendered-at="${escape(path)}" data-sdk-on-server="${tp.anonymousId ? 'active' : 'no-op'}">
      <h1>Rendered on the server</h1>
      <p>This markup came from Node; the SDK ran there as a no-op. In the browser it hydrates.</p>
      <button type="button" id="signup">Sign up</button>
      <button type="button" id="allow">Allow analytics</button>
      <p id="status" role="status"></p>
    </main>
  </body>
</html>`;
}
