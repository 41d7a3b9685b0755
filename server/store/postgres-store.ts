import pg from 'pg';
import { MISSED, type QueryResult, type Queryable, type Store } from './store.js';

/**
 * PostgreSQL through a connection pool. One extra dedicated connection holds
 * LISTEN for all channels, because a pooled connection may be handed away.
 *
 * That connection can drop (a restart, a failover, an idle timeout, someone's
 * `pg_terminate_backend`): it is opened again, with growing waits (100 ms to
 * 5 s), every channel listened to again, and then every listener called with
 * `MISSED` — NOTIFYs sent meanwhile are gone, so each refreshes what it
 * keeps (the chat hub re-pulls its streams, the sites cache forgets all,
 * presence re-reads). TCP keep-alive notices a peer that vanished silently.
 */
export async function createPostgresStore(connectionString: string, poolSize = 10): Promise<Store> {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle client erroring (server restart) must not crash the process.
  pool.on('error', () => {});
  const listeners = new Map<string, Set<(payload: string) => void>>();
  let listener: Promise<pg.Client> | undefined;
  let closing = false;

  const open = async (again: boolean): Promise<pg.Client> => {
    for (let wait = 100; ; wait = Math.min(wait * 2, 5_000)) {
      if (closing) throw new Error('the store is closed');
      // A bounded connect: during a failover that drops packets the OS would wait ~2 min, and close() waits for this attempt.
      const client = new pg.Client({ connectionString, keepAlive: true, keepAliveInitialDelayMillis: 10_000, connectionTimeoutMillis: 5_000 });
      // A dropped connection errors, then ends: 'end' opens it again.
      client.on('error', () => {});
      try {
        await client.connect();
        client.on('notification', (n) => {
          for (const fn of listeners.get(n.channel) ?? []) fn(n.payload ?? '');
        });
        for (const channel of listeners.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      } catch (err) {
        await client.end().catch(() => {});
        // The first connection's failure is the caller's, as any query's; a re-opening tries until it works.
        if (!again) throw err;
        await new Promise((r) => setTimeout(r, wait).unref());
        continue;
      }
      client.once('end', () => {
        if (closing) return;
        listener = open(true);
        listener.then(
          () => {
            // One listener's failure must not keep the others from refreshing (nor reject unheard).
            for (const set of listeners.values())
              for (const fn of set)
                try {
                  fn(MISSED);
                } catch {
                  // its own to log
                }
          },
          () => {},
        );
      });
      return client;
    }
  };
  const getListener = (): Promise<pg.Client> => {
    listener ??= open(false);
    // A first connection that failed is tried again by the next listen().
    listener.catch(() => (listener = undefined));
    return listener;
  };

  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async exec(sql: string) {
      // No parameters → simple query protocol, which allows several statements.
      await q.query(sql);
    },
    async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
      const r = await q.query(sql, params);
      return { rows: r.rows as T[], affectedRows: r.rowCount ?? undefined };
    },
  });

  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async listen(channel, fn) {
      const client = await getListener();
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
      set.add(fn);
      return async () => {
        set.delete(fn);
      };
    },
    async notify(channel, payload) {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      closing = true;
      await (await listener?.catch(() => undefined))?.end().catch(() => {});
      await pool.end();
    },
  };
}
