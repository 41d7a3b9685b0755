#!/usr/bin/env node
// `npm run build`: tsc (JS + .d.ts) → rollup (npm, cdn, snippet) → custom-elements.json.
import { rmSync } from 'node:fs';
import { run } from './run.mjs';

rmSync('dist', { recursive: true, force: true });
await run('tsc', ['-p', 'tsconfig.build.json']);
await run('rollup', ['-c', '--silent']);
// custom-elements.json from the components' JSDoc; committed, and `npm test` fails if it drifts.
await run('cem', ['analyze', '--config', 'custom-elements-manifest.config.mjs', '--quiet']);
