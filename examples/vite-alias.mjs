// Inside this repository, `touchpoint` is the package being built, not a
// dependency: these aliases point each of its public entries (package.json
// `exports`) at dist/npm. In your own app, `npm install touchpoint` and drop them.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const { exports } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));

export const touchpointAlias = Object.entries(exports)
  .filter(([, v]) => typeof v === 'object' && v.default)
  .map(([k, v]) => ({ find: new RegExp(`^touchpoint${k.slice(1).replace(/[/.]/g, '\\$&')}$`), replacement: resolve(root, v.default) }));
