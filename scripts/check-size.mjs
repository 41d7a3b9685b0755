#!/usr/bin/env node
// Checks every public entry of the script-tag build against its gzip budget
// and prints a table with gzip and brotli sizes. Exit 1 on any breach.
// An entry's size counts its own file plus every chunk it imports statically
// (what the browser must fetch before the code runs), each compressed alone.
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { BUDGETS } from './size-budgets.mjs';

const DIR = 'dist/cdn';

export const measure = () => BUDGETS.map((b) => measureOne(b, b.dir ?? DIR));

const manifests = new Map();
const measureOne = (b, DIR) => {
  const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => /^manifest(\..+)?\.json$/.test(f)) : [];
  if (!files.length) throw new Error('No build: run `npm run build` first.');
  // Several builds may share a directory (one per element): their manifests merge.
  if (!manifests.has(DIR)) manifests.set(DIR, Object.assign({}, ...files.map((f) => JSON.parse(readFileSync(`${DIR}/${f}`, 'utf8')))));
  const manifest = manifests.get(DIR);
  const byName = (name) => Object.keys(manifest).find((f) => f === name || manifest[f].name === name);
  const closure = (file, seen = new Set()) => {
    if (seen.has(file)) return seen;
    seen.add(file);
    for (const dep of manifest[file]?.imports ?? []) closure(dep, seen);
    return seen;
  };
  {
    const files = new Set();
    for (const name of [b.chunk].flat()) {
      const file = byName(name) ?? (existsSync(`${DIR}/${name}`) ? name : undefined);
      if (!file) return { ...b, missing: true, gzip: 0, brotli: 0, files: [] };
      // A lazy chunk's imports of the entry are already loaded: count only what is new.
      for (const f of closure(file)) if (f === file || !manifest[f]?.isEntry) files.add(f);
    }
    // "More than": what an earlier chunk already brought (lit, shared code) is not counted again.
    if (b.after) for (const f of closure(byName(b.after) ?? '')) files.delete(f);
    let gzip = 0;
    let brotli = 0;
    for (const f of files) {
      const buf = readFileSync(`${DIR}/${f}`);
      gzip += gzipSync(buf, { level: 9 }).length;
      brotli += brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    }
    return { ...b, gzip, brotli, files: [...files] };
  }
};

const kb = (n) => `${(n / 1024).toFixed(2)} KB`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = measure();
  let failed = 0;
  console.log('\nSize budgets (gzip -9; brotli q11 for reference)\n');
  console.log(`${'entry'.padEnd(26)} ${'gzip'.padStart(9)} ${'brotli'.padStart(9)} ${'budget'.padStart(9)}  status`);
  for (const r of rows) {
    const ok = !r.missing && r.gzip <= r.limit;
    if (!ok) failed++;
    const status = r.missing ? 'FAIL: chunk missing from build' : ok ? 'ok' : `FAIL: ${r.gzip - Math.round(r.limit)} B over`;
    console.log(`${r.name.padEnd(26)} ${kb(r.gzip).padStart(9)} ${kb(r.brotli).padStart(9)} ${kb(r.limit).padStart(9)}  ${status}`);
  }
  for (const r of rows) if (r.gzip > r.limit) console.error(`\nSize budget broken: "${r.name}" is ${r.gzip} B gzip, over its ${Math.round(r.limit)} B budget (${r.files.join(', ')}).`);
  const jsonAt = process.argv.indexOf('--json');
  if (jsonAt > 0) writeFileSync(process.argv[jsonAt + 1], JSON.stringify({ passed: rows.length - failed, failed, rows }));
  process.exit(failed ? 1 : 0);
}
