#!/usr/bin/env node
// `npm run build`: tsc (JS + .d.ts) → rollup (npm, cdn, snippet) → custom-elements.json.
import { rmSync } from 'node:fs';
import { run } from './run.mjs';

rmSync('dist', { recursive: true, force: true });
await run('tsc', ['-p', 'tsconfig.build.json']);
await run('rollup', ['-c', '--silent']);
