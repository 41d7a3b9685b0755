import { PGlite } from '@electric-sql/pglite';
import type { QueryResult, Queryable, Store } from './store.js';

/**
 * Embedded PostgreSQL (WASM), data in a folder. PGlite is single-connection:
 * it serialises queries itself, and LISTEN/NOTIFY works inside the process,
 * which is all one instance needs.
 */
export async function createPgliteStore(dataDir: string | undefined): Promise<Store> {
  const db = await PGlite.create(dataDir ?? 'memory://');
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
