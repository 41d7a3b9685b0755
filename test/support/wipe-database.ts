/** Deletes an IndexedDB database and resolves whatever happens (blocked or failed included): a test's clean slate. */
export const wipeDatabase = (name: string): Promise<void> =>
  new Promise<void>((r) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = req.onerror = req.onblocked = () => r();
  });
