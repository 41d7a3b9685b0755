import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { StaticOptions } from './lib/serve-static.js';
import { renderSnippet } from './lib/render-snippet.js';
import { serverRoot } from './lib/package-root.js';

/** Seconds a browser may keep the script-tag entry and the snippet before revalidating: a release reaches every page within five minutes. */
export const ENTRY_MAX_AGE = 300;

/**
 * The chunks rollup named with a content hash, from the manifests the build
 * writes beside them (rollup.config.mjs): those never change under their name,
 * so they are cached for a year. Entries keep stable names and revalidate.
 * Re-read when a manifest changes (a rebuild under a running server).
 */
const hashedChunks = (dir: string): ((name: string) => boolean) => {
  let seen = '';
  let hashed = new Set<string>();
  return (name) => {
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => /^manifest(\..+)?\.json$/.test(f));
    } catch {
      return false;
    }
    const stamp = files.map((f) => `${f}:${statSync(resolve(dir, f)).mtimeMs}`).join();
    if (stamp !== seen) {
      seen = stamp;
      hashed = new Set();
      for (const f of files) {
        const chunks = JSON.parse(readFileSync(resolve(dir, f), 'utf8')) as Record<string, { isEntry: boolean }>;
        for (const [file, c] of Object.entries(chunks)) if (!c.isEntry) hashed.add(file);
      }
    }
    return hashed.has(name);
  };
};

/**
 * What the reference server itself serves besides the protocol: the console,
 * and the public assets any site's pages load from it — the script-tag build
 * under /cdn/, the standalone elements under /elements/, the npm build and
 * its one dependency (idb) for pages with an import map. `root` is the
 * `touchpoint` package's folder (lib/package-root.ts); the console is this
 * package's own build (server/dist/console).
 */
export const serverStatics = (root: string): StaticOptions[] => [
  // The console shell is public (it is only code); every API it calls needs an agent session.
  { prefix: '/console/', root: resolve(serverRoot(), 'dist/console'), spaFallback: 'index.html', immutable: hashedChunks(resolve(serverRoot(), 'dist/console')) },
  { prefix: '/elements/', root: resolve(root, 'dist/elements'), public: true, immutable: hashedChunks(resolve(root, 'dist/elements')), maxAge: ENTRY_MAX_AGE },
  { prefix: '/npm/', root: resolve(root, 'dist/npm'), public: true },
  { prefix: '/vendor/idb/', root: resolve(root, 'node_modules/idb/build'), public: true },
  { prefix: '/cdn/', root: resolve(root, 'dist/cdn'), public: true, immutable: hashedChunks(resolve(root, 'dist/cdn')), maxAge: ENTRY_MAX_AGE },
];

export interface ShopOptions {
  /** Origin of the Touchpoint server the pages load the SDK from and send to; '' for the same origin. */
  server?: string;
  siteKey?: string;
  features?: string;
}

/**
 * The strict-CSP example's policy, with the Touchpoint server's origin where
 * it is another one: no inline code, no eval, and Trusted Types required for
 * every script sink — the SDK's `touchpoint` policy and lit's `lit-html` are
 * the only ones allowed (docs/sdk.md).
 */
export const strictCsp = (server = ''): string => {
  const tp = server ? ` ${server}` : '';
  return [
    "default-src 'self'",
    `script-src 'self'${tp}`,
    "style-src 'self'",
    `connect-src 'self'${tp}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "require-trusted-types-for 'script'",
    'trusted-types touchpoint lit-html',
  ].join('; ');
};

/**
 * The demo shop (examples/): its pages get the freshly built snippet wherever
 * they say `<!--touchpoint-snippet-->`, pointing at the Touchpoint server.
 * On another origin than that server (a real site, and every end-to-end
 * journey), the pages' own `/cdn/` and `/elements/` script tags and the
 * launcher's endpoint are rewritten to it, as a site owner would write them.
 */
export const shopStatics = (root: string, o: ShopOptions = {}): StaticOptions[] => {
  const server = o.server ?? '';
  const siteKey = o.siteKey ?? 'demo';
  const snippet = () => renderSnippet(resolve(root, 'dist/cdn/snippet.min.js'), { src: `${server}/cdn/touchpoint.js`, siteKey, features: o.features ?? 'consent replay survey' });
  const rewrite = (html: string) => {
    let out = html.replace('<!--touchpoint-snippet-->', `<script>${snippet()}</script>`);
    if (server) {
      out = out
        .replace(/(src|href)="\/(cdn|elements|npm|vendor)\//g, `$1="${server}/$2/`)
        .replace(/"\/(npm|vendor)\//g, `"${server}/$1/`)
        .replace(/<tp-chat-launcher(?![^>]*\bendpoint=)/g, `<tp-chat-launcher endpoint="${server}"`)
        .replace('</head>', `<meta name="touchpoint-endpoint" content="${server}" />\n  </head>`);
    }
    return out.replace(/data-site-key="demo"|site-key="demo"/g, (m) => m.replace('demo', siteKey));
  };
  return [
    {
      prefix: '/',
      root: resolve(root, 'examples'),
      spaFallback: 'index.html',
      transformHtml: rewrite,
      // The strict-CSP example proves the SDK and the elements need neither inline code nor eval.
      headers: (file): Record<string, string> => (file.includes('/strict-csp/') ? { 'content-security-policy': strictCsp(server) } : {}),
    },
  ];
};

/** What `npm start` serves: the server's own files and, on the same origin, the demo shop. */
export const demoStatics = (root: string, siteKey = 'demo', features = 'consent replay survey'): StaticOptions[] => [
  ...serverStatics(root),
  ...shopStatics(root, { siteKey, features }),
];
