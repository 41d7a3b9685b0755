// Bundles what `tsc -p tsconfig.build.json` emitted into dist/js:
//  - dist/npm: the package's subpath entries, code-split, dependencies external;
//  - dist/cdn: the script-tag build, everything bundled, lazy features in hashed chunks;
//  - dist/cdn/snippet.min.js: the classic <head> snippet.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import { readFileSync } from 'node:fs';
import { PUBLIC_ENTRIES } from './scripts/public-entries.mjs';

const pkg = JSON.parse(readFileSync('./package.json', 'utf8'));
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
const js = (p) => `dist/js/${p}`;

/**
 * Minifies lit's tagged templates, which terser leaves alone: CSS loses
 * comments and the whitespace around braces, semicolons, commas, child
 * combinators and declaration colons; HTML
 * loses indentation (a whitespace run with a line break becomes one space,
 * which renders the same outside `pre`, and we have no newlines in `pre-wrap`
 * templates). A few hundred bytes per element, which the budgets need.
 */
const minifyTemplates = () => ({
  name: 'tp-minify-templates',
  transform(code, id) {
    if (!id.includes('/components/') && !id.includes('/console/')) return null;
    const out = code
      .replace(/\bcss\s*`([^`$]*)`/g, (_, body) =>
        `css\`${body
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\s+/g, ' ')
          .replace(/\s*([{};,>])\s*/g, '$1')
          // A colon followed by a space is a declaration's (pseudo-classes never are).
          .replace(/:\s+/g, ':')
          .replace(/\s+!important/g, '!important')
          .replace(/;}/g, '}')
          .trim()}\``,
      )
      .replace(/\bhtml\s*`((?:[^`\\]|\\.)*)`/g, (m) => m.replace(/[ \t]*\n\s*/g, ' '));
    return { code: out, map: null };
  },
});

/** Production builds: DEV_MODE warnings compile away (lit's pattern). */
/**
 * @rrweb/record inlines a Web Worker (as a 2.8 KB string) that only its
 * fps-sampled canvas capture uses. Touchpoint's `recordCanvas` records canvas
 * by mutation (`sampling.canvas` is never set), so the string is dead weight:
 * ~0.8 KB gzip of the replay chunk. Emptied here, checked by the build so an
 * rrweb upgrade that renames it fails loudly instead of silently growing.
 */
const dropCanvasWorker = () => ({
  name: 'tp-drop-canvas-worker',
  transform(code, id) {
    if (!/@rrweb[\\/]record[\\/]dist[\\/]record\.js$/.test(id)) return null;
    const out = code.replace(/const jsContent = '\(function\(\) \{[^\n]*';/, "const jsContent = '';");
    if (out === code) this.error('tp-drop-canvas-worker: the canvas worker source was not found in @rrweb/record');
    return { code: out, map: null };
  },
});

/**
 * @rrweb/record checks that the page left `Element.prototype` untouched before
 * it trusts it, but tests its methods `querySelector` and `querySelectorAll`
 * as accessors (getters): that test always fails, so every recording page
 * creates, loads and removes an iframe at start for "untainted" prototypes —
 * ~100 ms of the main thread on a 4× throttled CPU (a frame, its window
 * context, its detach; bench 04's replay variant, issue #21). They are tested
 * as methods here, as rrweb-io/rrweb#1802 does upstream: a page that did patch
 * them still gets the iframe. Checked by the build like the plugin above.
 */
export const untaintedElementMethods = () => ({
  name: 'tp-rrweb-element-methods',
  transform(code, id) {
    if (!/@rrweb[\\/]record[\\/]dist[\\/]record\.js$/.test(id)) return null;
    const out = code
      .replace(/(const testableAccessors = \{[^}]*Element: \["shadowRoot"), "querySelector", "querySelectorAll"\]/, '$1]')
      .replace(/(const testableMethods = \{[^}]*Element: \[)\]/, '$1"querySelector", "querySelectorAll"]');
    if (!/Element: \["shadowRoot"\]/.test(out) || !/Element: \["querySelector", "querySelectorAll"\]/.test(out)) this.error('tp-rrweb-element-methods: rrweb\'s testable Element members were not found in @rrweb/record');
    return { code: out, map: null };
  },
});

/**
 * The SDK's public entries by the names other layers import them with
 * (tsconfig.json `paths`): to what tsc emitted, so every build shares chunks
 * with them instead of loading the package a second time.
 */
const ENTRIES = Object.fromEntries(Object.entries(PUBLIC_ENTRIES).map(([name, file]) => [name, `${file}.js`]));
const publicEntries = () => ({
  name: 'tp-public-entries',
  resolveId: (id) => (ENTRIES[id] ? new URL(js(ENTRIES[id]), import.meta.url).pathname : null),
});

/**
 * src/lib/storage-keys.ts is the one definition of every storage key, and
 * costs nothing: each `KEYS.area.name` becomes its literal here, before
 * bundling, so the module is tree-shaken away. (Exported constants cost the
 * core +151 B gzip, where lazy chunks imported them from it; a const enum +220 B.)
 * An unknown key, or `KEYS` used other than by member, fails the build.
 */
const inlineKeys = () => {
  let keys;
  return {
    name: 'tp-inline-keys',
    async buildStart() {
      keys ??= (await import(new URL(js('src/lib/storage-keys.js'), import.meta.url).href)).KEYS;
    },
    transform(code, id) {
      if (!id.includes('/dist/js/') || id.endsWith('/storage-keys.js') || !/\bKEYS\b/.test(code)) return null;
      const out = code.replace(/\bKEYS((?:\.\w+)+)/g, (m, path) => {
        // Down to the key; what follows it (`.length`) stays.
        const names = path.slice(1).split('.');
        let value = keys;
        while (names.length && value && typeof value === 'object') value = value[names.shift()];
        if (typeof value !== 'string') this.error(`tp-inline-keys: ${m} in ${id} is not a storage key`);
        return JSON.stringify(value) + names.map((n) => `.${n}`).join('');
      });
      if (/\bKEYS\b/.test(out.replace(/^import [^;]*storage-keys\.js';$/gm, ''))) this.error(`tp-inline-keys: ${id} uses KEYS other than by member`);
      return { code: out, map: null };
    },
  };
};

const prod = () => [publicEntries(), inlineKeys(), replace({ preventAssignment: true, values: { DEV_MODE: 'false' } }), minifyTemplates(), dropCanvasWorker(), untaintedElementMethods()];

// One name cache for all chunks of a build: a mangled `__name` must be the same
// in every chunk that touches it. ONCE SHIPPED, A MANGLED NAME MUST NOT CHANGE MEANING.
const nameCache = {};
// Only the properties: a chunk's top-level names are its own (chunks share exports by their export names), and a
// shared `vars` cache made each later chunk's names longer (a name taken in one chunk was never given out again:
// the banner's chunk +12 B gzip once the start-up chunk was merged). Writes of it are dropped.
Object.defineProperty(nameCache, 'vars', { get: () => undefined, set() {} });
const minify = () =>
  terser({
    maxWorkers: 1,
    nameCache,
    ecma: 2020,
    module: true,
    compress: { passes: 2, pure_getters: true },
    // Only the SDK's `__private` members. Not `_name`: lit components keep their
    // `_state` fields on the same objects as lit's own pre-minified one-letter
    // fields, and a mangled `_t` → `t` silently overwrote lit's (a panel that
    // never rendered); lit's `_$xx` contract between its packages stays too.
    mangle: { properties: { regex: /^__[a-zA-Z]/ } },
    format: { comments: false },
  });

/**
 * Marks the script-tag entry for eager compilation (V8's explicit compile
 * hints, Chrome 136+): nearly every function in it runs at start, and
 * compiled lazily they were compiled on the main thread inside the start-up
 * task — 1 to 60 ms of it at 4× throttling. With the hint V8 compiles them
 * while the file streams in. Added after terser, which strips comments.
 * https://v8.dev/blog/explicit-compile-hints
 */
const compileHint = () => ({
  name: 'tp-compile-hint',
  renderChunk: (code, chunk) => (chunk.isEntry ? `//# allFunctionsCalledOnLoad\n${code}` : null),
});

/**
 * Writes manifest.json (or manifest.<name>.json when several builds share a
 * directory): each chunk with its static and dynamic imports, for the size check.
 */
const manifest = (name) => ({
  name: 'tp-manifest',
  generateBundle(_, bundle) {
    const out = {};
    for (const [file, c] of Object.entries(bundle)) {
      if (c.type !== 'chunk') continue;
      out[file] = { name: c.name, isEntry: c.isEntry, imports: c.imports, dynamicImports: c.dynamicImports };
    }
    this.emitFile({ type: 'asset', fileName: name ? `manifest.${name}.json` : 'manifest.json', source: JSON.stringify(out, null, 2) });
  },
});

/**
 * What every script-tag page loads in its first second, as one lazy chunk:
 * device facts, the IndexedDB outbox, the drain, automatic capture with
 * friction and web vitals, and the optional features' starter. Each was a
 * chunk of its own — ten files, each a request, a response task and a compile
 * on the main thread (~20 tasks, bench 04, issue #21); the SDK's import()s of
 * them stay where they were, and whichever runs first brings them all.
 * What a page may never need stays apart: the attribution classifier (a new
 * touch only), replay, the banner, surveys, chat, help rules.
 */
const START_UP = ['src/core/device-facts.js', 'src/core/idb-outbox.js', 'src/core/drain.js', 'src/autocapture/start-autocapture.js', 'src/autocapture/track-friction.js', 'src/autocapture/track-web-vitals.js', 'cdn/start-features.js'];

export default [
  {
    input: {
      index: js('src/index.js'),
      replay: js('src/replay/index.js'),
      protocol: js('src/protocol/index.js'),
      host: js('src/host/index.js'),
      chat: js('src/chat/index.js'),
      survey: js('src/survey/index.js'),
      'components/survey': js('components/survey/survey.js'),
      'components/consent-banner': js('components/consent-banner/consent-banner.js'),
      'components/chat-launcher': js('components/chat-launcher/chat-launcher.js'),
      // Framework bindings (react, vue, @lit/react stay external: the app's own copies).
      react: js('frameworks/react.js'),
      vue: js('frameworks/vue.js'),
    },
    external: (id) => external.some((d) => id === d || id.startsWith(`${d}/`)),
    plugins: [prod()],
    output: { dir: 'dist/npm', format: 'es', chunkFileNames: 'chunks/[name]-[hash].js' },
  },
  {
    input: { touchpoint: js('cdn/touchpoint.js') },
    plugins: [prod(), nodeResolve({ browser: true }), minify(), compileHint(), manifest()],
    output: {
      dir: 'dist/cdn',
      format: 'es',
      entryFileNames: '[name].js',
      // Hashed names: served immutable, and a new release never mixes with a cached old chunk.
      chunkFileNames: '[name]-[hash].js',
      // The entry first: rollup puts a manual chunk's static imports into it, and the entry's own
      // modules (safe, storage…) would go with them, the entry importing the lazy chunk statically.
      // `m => m.x`, not `function (m) { return m.x }`: each import() of a module inside the start-up chunk picks its namespace.
      generatedCode: { arrowFunctions: true },
      manualChunks: (id) => (id.endsWith(js('cdn/touchpoint.js')) ? 'touchpoint' : START_UP.some((m) => id.endsWith(js(m))) ? 'start-up' : undefined),
    },
  },
  // Standalone element bundles (lit included) for pages without a bundler:
  // <script type="module" src="…/elements/chat-launcher.js">. One build per
  // element, so each is self-contained: their budgets ("including lit") are
  // measured on exactly what a page using only that element loads.
  ...['chat-launcher', 'survey', 'consent-banner'].map((name) => ({
    input: { [name]: js(`components/${name}/${name}.js`) },
    plugins: [prod(), nodeResolve({ browser: true }), minify(), manifest(name)],
    output: { dir: 'dist/elements', format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
  })),
  {
    // The reference server's console (lit), served at /console/: part of the server package.
    input: { console: 'server/dist/js/console/console-app.js' },
    plugins: [prod(), nodeResolve({ browser: true }), terser({ format: { comments: false } })],
    output: { dir: 'server/dist/console', format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
  },
  {
    input: 'src/snippet/snippet.js',
    plugins: [terser({ compress: { passes: 2 }, format: { comments: false } })],
    output: { file: 'dist/cdn/snippet.min.js', format: 'es' },
  },
];
