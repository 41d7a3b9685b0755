#!/usr/bin/env node
// `npm run build`: custom-elements.json → framework typings → tsc (JS + .d.ts) → the server
// package's tsc (server/dist/js) → rollup (npm, cdn, snippet, console) → precompressed siblings.
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { run } from './run.mjs';

// One build at a time in a tree: a second build deleting dist/ under the first one's
// rollup fails it with ENOENT (several engineers, or a test run, build in one checkout).
// mkdir is atomic; a lock older than 15 minutes is a crashed build's.
const LOCK = '.build.lock';
for (;;) {
  try {
    mkdirSync(LOCK);
    break;
  } catch {
    try {
      if (Date.now() - statSync(LOCK).mtimeMs > 15 * 60_000) rmSync(LOCK, { recursive: true, force: true });
    } catch {}
    await sleep(500);
  }
}
process.on('exit', () => rmSync(LOCK, { recursive: true, force: true }));

// What tsc emits is cleared first; the bundles only right before rollup writes them, so a
// build that fails type-checking (someone's work in progress) leaves the last good
// dist/npm in place — vitest's config loads the server, which imports
// `touchpoint/protocol` through the package, i.e. dist/npm.
const clear = (...dirs) => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
clear('dist/js', 'dist/types', 'server/dist');
// custom-elements.json from the components' JSDoc; committed, in a stable order, so a diff shows an API change.
await run('cem', ['analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet']);
// The elements' React and Vue typings from it (frameworks/*-jsx.ts, *-elements.ts), compiled with the bindings.
await run('node', ['scripts/framework-types.mjs']);
await run('tsc', ['-p', 'tsconfig.build.json']);
// The server (@touchpoint/server) compiles against the SDK's emitted types, as a consumer of `touchpoint` would.
await run('tsc', ['-p', 'server/tsconfig.build.json']);
clear('dist/npm', 'dist/cdn', 'dist/elements');
await run('rollup', ['-c', '--silent']);
// The time-zone worker sits beside the chunks that start it (src/lib/timezone.ts).
for (const dir of ['dist/cdn', 'dist/npm/chunks']) copyFileSync('src/lib/timezone-worker.js', `${dir}/timezone-worker.js`);
// The console's page and stylesheet sit beside its bundle, in the server package.
for (const f of ['index.html', 'console.css']) copyFileSync(`server/console/${f}`, `server/dist/console/${f}`);
// rrweb's player styles (cursor, click ripples), for the replay page.
copyFileSync('node_modules/rrweb/dist/style.min.css', 'server/dist/console/rrweb.css');
// Brotli and gzip siblings of what browsers load, served as is (scripts/precompress.mjs).
await run('node', ['scripts/precompress.mjs']);
