import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';

/** Where `npm start` and the operator commands find the store: one rule for both. */
export const storeOptionsFromEnv = (root: string, env: NodeJS.ProcessEnv = process.env) => ({
  databaseUrl: env.DATABASE_URL || undefined,
  dataDir: resolve(root, env.TOUCHPOINT_DATA_DIR ?? '.touchpoint/data'),
});

/** `NODE_ENV=production`: no demo site, no development agent, an owner required, Secure cookies. */
export const isProduction = (env: NodeJS.ProcessEnv = process.env): boolean => env.NODE_ENV === 'production';

/**
 * The embedded store is one process's: PGlite has no server to share it, and
 * two processes writing one data folder corrupt it. The server holds this
 * lock file while it runs; the operator commands refuse to open the folder
 * meanwhile (PostgreSQL has no such limit).
 */
const lockFile = (dataDir: string) => `${dataDir}.lock`;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export const holdDataDir = (dataDir: string): (() => void) => {
  const other = heldBy(dataDir);
  if (other) throw new Error(`${dataDir} is in use by process ${other} (another Touchpoint server or command). Stop it first, or use PostgreSQL (DATABASE_URL).`);
  mkdirSync(dirname(dataDir), { recursive: true });
  writeFileSync(lockFile(dataDir), String(process.pid));
  return () => rmSync(lockFile(dataDir), { force: true });
};

export const heldBy = (dataDir: string): number | undefined => {
  if (!existsSync(lockFile(dataDir))) return undefined;
  const pid = Number(readFileSync(lockFile(dataDir), 'utf8'));
  return pid && pid !== process.pid && alive(pid) ? pid : undefined;
};

/** Opens the store as the environment says, holding the embedded one's folder while open. */
export const openEnvStore = async (root: string, env: NodeJS.ProcessEnv = process.env): Promise<Store> => {
  const o = storeOptionsFromEnv(root, env);
  const release = o.databaseUrl ? () => {} : holdDataDir(o.dataDir);
  try {
    const store = await openStore(o);
    const close = store.close.bind(store);
    return Object.assign(store, {
      close: async () => {
        try {
          await close();
        } finally {
          release();
        }
      },
    });
  } catch (e) {
    release();
    throw e;
  }
};
