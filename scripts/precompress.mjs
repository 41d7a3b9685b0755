#!/usr/bin/env node
// Writes `file.br` and `file.gz` beside every text asset the server sends to
// browsers (dist/cdn, dist/elements, server/dist/console), at the highest settings:
// paid once at build, never per request. @fastify/static picks the sibling the
// request accepts (server/lib/serve-static.ts). Smaller than 1 KB is not worth it.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const DIRS = ['dist/cdn', 'dist/elements', 'server/dist/console'];
const TEXT = /\.(js|mjs|css|html|json|svg|map|txt)$/;

let files = 0;
let raw = 0;
let br = 0;
for (const dir of DIRS) {
  for (const name of readdirSync(dir, { recursive: true })) {
    const file = join(dir, String(name));
    if (!TEXT.test(file) || !statSync(file).isFile()) continue;
    const body = readFileSync(file);
    if (body.length < 1024) continue;
    const b = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
    writeFileSync(`${file}.br`, b);
    writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
    files++;
    raw += body.length;
    br += b.length;
  }
}
console.log(`  precompressed ${files} files: ${(raw / 1024).toFixed(0)} KB → ${(br / 1024).toFixed(0)} KB brotli`);
