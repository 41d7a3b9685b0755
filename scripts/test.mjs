#!/usr/bin/env node
// `npm test`: every check the project has, in order, each counted:
//   typecheck + lint → build → framework examples → vitest (node + browser projects) → the node
//   project again under three shifted clocks (scripts/shifted-clocks.mjs) → Playwright journeys →
//   size budgets. It keeps going after a failure so one run shows
//   everything, then prints the totals of all runners as one line
//   `N passed, N failed` and exits non-zero if anything failed.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { run } from './run.mjs';
import { requireChromium } from './find-chromium.mjs';
import { startPostgres } from './postgres.mjs';
import { faketimeOffset, requireFaketime, shiftedInstants } from './shifted-clocks.mjs';

const tmp = '.tmp';
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
const totals = [];
const tally = (name, passed, failed) => {
  totals.push({ name, passed, failed });
  console.log(`\n▸ ${name}: ${passed} passed, ${failed} failed\n`);
};
const step = async (name, cmd, args, opts) => tally(name, ...((await run(cmd, args, { allowFail: true, ...opts })) === 0 ? [1, 0] : [0, 1]));
const readJson = (f) => {
  try {
    return JSON.parse(readFileSync(f, 'utf8'));
  } catch {
    return undefined;
  }
};

const chromium = requireChromium();
process.env.CHROMIUM_PATH ??= chromium;
// A throwaway PostgreSQL cluster for the server's PostgreSQL tests (installed from Debian when missing and allowed).
const pg = await startPostgres();
const env = pg ? { TEST_DATABASE_URL: pg.url } : {};

await step('typecheck', 'tsc', ['-p', 'tsconfig.json', '--noEmit']);
await step('lint', 'eslint', ['--max-warnings', '0', '.']);
const built = (await run('node', ['scripts/build.mjs'], { allowFail: true })) === 0;
tally('build', built ? 1 : 0, built ? 0 : 1);
if (built) {
  await step('emitted .d.ts (consumer view)', 'tsc', ['-p', 'test/types/tsconfig.json']);
  await run('node', ['scripts/build-examples.mjs', '--json', `${tmp}/examples.json`], { allowFail: true });
  const e = readJson(`${tmp}/examples.json`);
  tally('framework examples (types + build)', e?.passed ?? 0, e ? e.failed : 1);
}

await run('vitest', ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${tmp}/vitest.json`], { allowFail: true, env });
const v = readJson(`${tmp}/vitest.json`);
tally('vitest (node + browser)', v?.numPassedTests ?? 0, v ? v.numFailedTests + (v.numTotalTestSuites && !v.success && !v.numFailedTests ? 1 : 0) : 1);

// The same node project on other dates and in other time zones: nothing may depend on the day it runs.
const faketime = requireFaketime();
for (const [label, instant, tz] of shiftedInstants()) {
  const out = `${tmp}/vitest-${instant}.json`;
  const at = new Date(instant).toISOString();
  console.log(`\n▸ node project at ${at} (${label}), TZ=${tz}\n`);
  if (faketime) {
    await run('faketime', ['-f', faketimeOffset(instant), 'vitest', 'run', '--project', 'node', '--reporter=dot', '--reporter=json', `--outputFile.json=${out}`], { allowFail: true, env: { ...env, TZ: tz } });
  }
  const r = readJson(out);
  tally(`node at ${at.slice(0, 10)}`, r?.numPassedTests ?? 0, r ? r.numFailedTests + (!r.success && !r.numFailedTests ? 1 : 0) : 1);
}

if (built) {
  await run('playwright', ['test', '--reporter=list,json'], { allowFail: true, env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: `${tmp}/playwright.json` } });
  const p = readJson(`${tmp}/playwright.json`);
  tally('playwright', (p?.stats.expected ?? 0) + (p?.stats.flaky ?? 0), p ? p.stats.unexpected : 1);
  const code = await run('node', ['scripts/check-size.mjs', '--json', `${tmp}/size.json`], { allowFail: true });
  const s = readJson(`${tmp}/size.json`);
  tally('size budgets', s?.passed ?? 0, s ? s.failed : code === 0 ? 0 : 1);
}

await pg?.stop();
const passed = totals.reduce((a, t) => a + t.passed, 0);
const failed = totals.reduce((a, t) => a + t.failed, 0);
console.log('\n' + totals.map((t) => `  ${t.name.padEnd(26)} ${t.passed} passed, ${t.failed} failed`).join('\n'));
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
