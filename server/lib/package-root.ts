import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The `touchpoint` package's folder — the SDK this server depends on, whose
 * build (dist/cdn, dist/elements, dist/npm, the snippet) it serves. In this
 * repository that is the repository root (node_modules/touchpoint links to
 * it), which also holds the demo shop (examples/) and the embedded store's
 * default folder (.touchpoint/data).
 */
export const packageRoot = (): string => dirname(createRequire(import.meta.url).resolve('touchpoint/package.json'));

/** The server package's own folder (@touchpoint/server: server/), from source (vitest) or from server/dist/js (npm start) alike. */
export const serverRoot = (from = fileURLToPath(import.meta.url)): string => {
  let dir = dirname(from);
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
};
