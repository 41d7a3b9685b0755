import { mkdirSync } from 'node:fs';
import { migrate } from './migrate.js';
import { createPgliteStore } from './pglite-store.js';
import { createPostgresStore } from './postgres-store.js';
import type { Store } from './store.js';

export interface StoreOptions {
  /** PostgreSQL URL; when absent the embedded store is used. */
  databaseUrl?: string | undefined;
  /** Folder of the embedded store; `undefined` keeps it in memory (tests). */
  dataDir?: string | undefined;
}

/** Opens the store the options ask for and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  let store: Store;
  if (options.databaseUrl) {
    store = await createPostgresStore(options.databaseUrl);
  } else {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    store = await createPgliteStore(options.dataDir);
  }
  await migrate(store);
  return store;
}
