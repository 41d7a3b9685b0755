import { resolve } from 'node:path';
import type { StaticOptions } from './lib/serve-static.js';
import { renderSnippet } from './lib/render-snippet.js';

/**
 * What `npm start` serves besides the protocol: the script-tag build under
 * /cdn/ and the demo site from examples/, whose pages get the freshly built
 * snippet wherever they say `<!--touchpoint-snippet-->`.
 */
export const demoStatics = (root: string, siteKey = 'demo', features = 'consent replay survey'): StaticOptions[] => {
  const snippet = () => renderSnippet(resolve(root, 'dist/cdn/snippet.min.js'), { src: '/cdn/touchpoint.js', siteKey, features });
  return [
    // The console shell is public (it is only code); every API it calls needs an agent session.
    { prefix: '/console/', root: resolve(root, 'dist/console'), spaFallback: 'index.html' },
    { prefix: '/elements/', root: resolve(root, 'dist/elements') },
    // The npm build and its one dependency the SDK loads (idb), for examples/import/ (an import map, no bundler).
    { prefix: '/npm/', root: resolve(root, 'dist/npm') },
    { prefix: '/vendor/idb/', root: resolve(root, 'node_modules/idb/build') },
    {
      prefix: '/cdn/',
      root: resolve(root, 'dist/cdn'),
      // Hashed chunks never change; the entry and snippet must revalidate.
      cacheControl: (f) => (/-[\w-]{8}\.js$/.test(f) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    },
    {
      prefix: '/',
      root: resolve(root, 'examples'),
      spaFallback: 'index.html',
      transformHtml: (html) => html.replace('<!--touchpoint-snippet-->', `<script>${snippet()}</script>`),
      // The strict-CSP example proves the SDK and the elements need neither inline code nor eval.
      headers: (file): Record<string, string> =>
        file.includes('/strict-csp/')
          ? { 'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'" }
          : {},
    },
  ];
};
