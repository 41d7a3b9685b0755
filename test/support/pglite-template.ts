import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * Vitest global setup: a dump of a blank PGlite cluster, made once per PGlite
 * version and shared by every worker through TOUCHPOINT_PGLITE_TEMPLATE
 * (server/store/pglite-store.ts): each test server's in-memory store loads it
 * instead of running initdb — ~3 s instead of ~15 s per store under CI load.
 */
export default async function setup(): Promise<void> {
  const root = resolve(import.meta.dirname, '../..');
  const { version } = JSON.parse(readFileSync(join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string };
  const dir = join(root, 'node_modules/.cache/touchpoint');
  const file = join(dir, `pglite-blank-${version}.tar`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const db = await PGlite.create('memory://');
    const dump = await db.dumpDataDir('none');
    await db.close();
    // Written aside, then renamed: a runner starting meanwhile never reads half a dump.
    const part = `${file}.${process.pid}.part`;
    writeFileSync(part, Buffer.from(await dump.arrayBuffer()));
    renameSync(part, file);
  }
  process.env.TOUCHPOINT_PGLITE_TEMPLATE = file;
}
