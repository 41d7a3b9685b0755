#!/usr/bin/env node
// `npm run bench`: measurements side by side with the anchors, in one run, as
// ratios — never a timed test. Writes bench/results/latest.md with machine info.
// Each suite is its own file in bench/suites/; later issues add theirs.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { execSync } from 'node:child_process';

const only = process.argv.slice(2);
const suites = readdirSync(new URL('./suites/', import.meta.url))
  .filter((f) => f.endsWith('.mjs'))
  .sort()
  .filter((f) => !only.length || only.some((o) => f.includes(o)));

const chromium = (() => {
  try {
    return execSync(`${process.env.CHROMIUM_PATH ?? 'chromium'} --version`, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'not found';
  }
})();
const head = [
  '# Touchpoint bench',
  '',
  `Run ${new Date().toISOString()} · Node ${process.version} · ${platform()} ${release()} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · ${(totalmem() / 2 ** 30).toFixed(0)} GiB · ${chromium}`,
  '',
];
const sections = [];
for (const f of suites) {
  const { title, run } = await import(new URL(`./suites/${f}`, import.meta.url));
  process.stdout.write(`\n## ${title}\n`);
  const md = await run();
  console.log(md);
  sections.push(`## ${title}\n\n${md}\n`);
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const out = new URL('./results/latest.md', import.meta.url);
// A subset (`npm run bench -- 03`) replaces its own sections and keeps the others.
let kept = [];
if (only.length && existsSync(out)) {
  const ran = new Set(sections.map((s) => s.split('\n')[0]));
  kept = readFileSync(out, 'utf8').split(/^(?=## )/m).slice(1).filter((s) => !ran.has(s.split('\n')[0])).map((s) => s.trimEnd() + '\n');
}
writeFileSync(out, [...head, ...[...kept, ...sections].sort()].join('\n'));
console.log('\nWritten to bench/results/latest.md');
