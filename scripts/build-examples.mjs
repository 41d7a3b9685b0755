#!/usr/bin/env node
// The framework examples, as a user's CI would check them: each type-checked
// against the package's emitted types (touchpoint/react, touchpoint/vue…) and
// built with Vite into examples/<name>/dist/, which the Playwright journeys
// load. `node scripts/build-examples.mjs [--json FILE]`; needs `npm run build` first.
import { writeFileSync } from 'node:fs';
import { run } from './run.mjs';

const EXAMPLES = [
  ['vite-ts', 'tsc'],
  ['react', 'tsc'],
  ['vue', 'vue-tsc'],
];
let passed = 0;
let failed = 0;
for (const [name, checker] of EXAMPLES) {
  const typed = (await run(checker, ['-p', `examples/${name}`], { allowFail: true })) === 0;
  const built = typed && (await run('vite', ['build', '--config', `examples/${name}/vite.config.mjs`], { allowFail: true })) === 0;
  console.log(`  example ${name}: types ${typed ? 'ok' : 'FAILED'}, build ${built ? 'ok' : typed ? 'FAILED' : 'skipped'}`);
  if (built) passed++;
  else failed++;
}
const i = process.argv.indexOf('--json');
if (i > 0) writeFileSync(process.argv[i + 1], JSON.stringify({ passed, failed }));
process.exit(failed ? 1 : 0);
