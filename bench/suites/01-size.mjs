// Our gzip sizes beside the anchors', measured here from their npm packages
// with the same gzip -9 (the files a browser loads for the same job).
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { join } from 'node:path';
import { measure } from '../../scripts/check-size.mjs';

export const title = 'Bundle size (gzip -9, brotli q11)';

// Straight from node_modules: some anchors' `exports` hide package.json.
const pkgFile = (pkg, rel) => {
  const f = join('node_modules', pkg, rel);
  return existsSync(f) ? f : undefined;
};
const size = (files) => {
  let gz = 0;
  let br = 0;
  for (const f of files) {
    const b = readFileSync(f);
    gz += gzipSync(b, { level: 9 }).length;
    br += brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return { gz, br };
};
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** What each anchor's browser bundle is (the file its CDN snippet loads). */
const ANCHORS = [
  { name: 'Segment analytics-next (standalone)', job: 'tracking core', files: [['@segment/analytics-next', 'dist/umd/standalone.js']] },
  { name: 'PostHog (array.full.js)', job: 'tracking core', files: [['posthog-js', 'dist/array.full.js']] },
  { name: 'PostHog (array.js, no recorder)', job: 'tracking core', files: [['posthog-js', 'dist/array.js']] },
  { name: '@rrweb/record', job: 'replay', files: [['@rrweb/record', 'dist/record.umd.min.cjs']] },
  { name: 'vanilla-cookieconsent (JS + CSS)', job: 'consent', files: [['vanilla-cookieconsent', 'dist/cookieconsent.umd.js'], ['vanilla-cookieconsent', 'dist/cookieconsent.css']] },
];

export const run = async () => {
  const rows = ['| what | job | gzip | brotli | budget |', '| --- | --- | ---: | ---: | ---: |'];
  for (const r of measure()) rows.push(`| Touchpoint ${r.name} | ${r.note} | ${kb(r.gzip)} | ${kb(r.brotli)} | ${kb(r.limit)} |`);
  for (const a of ANCHORS) {
    const files = a.files.map(([p, f]) => pkgFile(p, f));
    if (files.some((f) => !f)) {
      rows.push(`| ${a.name} | ${a.job} | n/a | n/a | |`);
      continue;
    }
    const s = size(files);
    rows.push(`| ${a.name} | ${a.job} | ${kb(s.gz)} | ${kb(s.br)} | |`);
  }
  return rows.join('\n');
};
