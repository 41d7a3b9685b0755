/** What a query returns: rows, and how many rows an INSERT/UPDATE/DELETE touched. */
export interface QueryResult<T> {
  rows: T[];
  affectedRows?: number;
}

/** Anything that can run a parameterised SQL statement. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs several statements with no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/**
 * The payload a listener gets when notifications may have been lost (the
 * listening connection dropped and came back): refresh everything you keep.
 * `*` also means "all" to the sites cache.
 */
export const MISSED = '*';

/**
 * The one storage interface of the reference server. Two implementations
 * (embedded PGlite, PostgreSQL) share every SQL statement; only connection
 * handling differs. Chat fan-out between instances rides on LISTEN/NOTIFY.
 */
export interface Store extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: all of it is written, or none. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Calls `fn` with each payload sent on `channel`, from any instance — and
   * with `MISSED` after the store lost its listening connection for a while.
   */
  listen(channel: string, fn: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}
