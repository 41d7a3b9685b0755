/**
 * Counts the IndexedDB transactions this page begins while `fn` runs, all and
 * read-write apart (#21's budget is counted in transactions: each is at least
 * one reply task on the renderer's main thread).
 */
export const transactions = async (fn: () => Promise<unknown>): Promise<{ all: number; rw: number }> => {
  const begin = IDBDatabase.prototype.transaction;
  const n = { all: 0, rw: 0 };
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...a: Parameters<typeof begin>) {
    n.all++;
    if (a[1] === 'readwrite') n.rw++;
    return begin.apply(this, a);
  } as typeof begin;
  try {
    await fn();
  } finally {
    IDBDatabase.prototype.transaction = begin;
  }
  return n;
};
