import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { QueryResult, Queryable, Store } from './store.js';

/**
 * Embedded PostgreSQL (WASM), data in a folder. PGlite is single-connection:
 * it serialises queries itself, and LISTEN/NOTIFY works inside the process,
 * which is all one instance needs.
 */
/**
 * In-memory stores start from a dump of a blank cluster when
 * TOUCHPOINT_PGLITE_TEMPLATE names one (the test runners make it once per
 * PGlite version: test/support/pglite-template.ts): initdb is most of what
 * PGlite.create() costs — 1–2 s idle, ~15 s on a loaded CI machine — and every
 * test server opens a store of its own. Loading the dump is ~5× faster.
 */
let template: Promise<Blob | undefined> | undefined;
const blankCluster = (): Promise<Blob | undefined> =>
  (template ??= (async () => {
    const file = process.env.TOUCHPOINT_PGLITE_TEMPLATE;
    if (!file) return undefined;
    try {
      return new Blob([await readFile(file)]);
    } catch {
      return undefined;
    }
  })());

export async function createPgliteStore(dataDir: string | undefined): Promise<Store> {
  const blank = dataDir ? undefined : await blankCluster();
  // A template that does not load (truncated by a killed setup, another PGlite's
  // format) costs the speed-up, never the store: initdb as without one.
  const db = await (blank ? PGlite.create('memory://', { loadDataDir: blank }).catch(() => PGlite.create('memory://')) : PGlite.create(dataDir ?? 'memory://'));
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async exec(sql: string) {
      await q.exec(sql);
    },
    async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
      const r = await q.query<T>(sql, params as unknown[]);
      return { rows: r.rows, affectedRows: r.affectedRows };
    },
  });
  return {
    kind: 'pglite',
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    async listen(channel, fn) {
      const unlisten = await db.listen(channel, fn);
      return async () => unlisten();
    },
    async notify(channel, payload) {
      await db.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    close: () => db.close(),
  };
}
