import type { Queryable } from '../store/store.js';

export interface NamedSite {
  key: string;
  name: string;
  config: Record<string, unknown>;
}

/** Every site in the order the console's pickers show them: by name, as the database collates it. */
export const sitesByName = async (db: Queryable): Promise<NamedSite[]> => (await db.query<NamedSite>('SELECT key, name, config FROM sites ORDER BY name')).rows;
