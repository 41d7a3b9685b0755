import { randomBytes } from 'node:crypto';
import type { Queryable } from './store/store.js';

export interface Site {
  key: string;
  name: string;
  /** HMAC key for `userHash`; known to the site's backend, never to browsers. */
  secret: string;
  /** Origins allowed to call the API for this site; `*` allows any. */
  allowedOrigins: string[];
  config: Record<string, unknown>;
}

interface SiteRow {
  key: string;
  name: string;
  secret: string;
  allowed_origins: string[];
  config: Record<string, unknown>;
}

const toSite = (r: SiteRow): Site => ({
  key: r.key,
  name: r.name,
  secret: r.secret,
  allowedOrigins: r.allowed_origins,
  config: r.config,
});

/**
 * Site lookups with a short cache: every request needs its site, and sites
 * change rarely. Five seconds bounds how stale another instance's edit can be.
 */
export class Sites {
  private readonly cache = new Map<string, { site: Site | undefined; at: number }>();
  constructor(private readonly db: Queryable) {}

  async get(key: string): Promise<Site | undefined> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < 5_000) return hit.site;
    const { rows } = await this.db.query<SiteRow>('SELECT key, name, secret, allowed_origins, config FROM sites WHERE key = $1', [key]);
    const site = rows[0] ? toSite(rows[0]) : undefined;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { site, at: Date.now() });
    return site;
  }

  /** Creates the site, or replaces its name, origins and config (its secret is kept). */
  async configure(key: string, name: string, allowedOrigins: string[], config: Record<string, unknown>): Promise<Site> {
    await this.db.query(
      `INSERT INTO sites (key, name, secret, allowed_origins, config) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (key) DO UPDATE SET name = excluded.name, allowed_origins = excluded.allowed_origins, config = excluded.config`,
      [key, name, randomBytes(32).toString('hex'), JSON.stringify(allowedOrigins), JSON.stringify(config)],
    );
    this.cache.delete(key);
    return (await this.get(key))!;
  }

  /** Creates the site if missing (its secret is random), and returns it as stored. */
  async ensure(key: string, name: string, allowedOrigins: string[] = ['*'], config: Record<string, unknown> = {}): Promise<Site> {
    await this.db.query(
      'INSERT INTO sites (key, name, secret, allowed_origins, config) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING',
      [key, name, randomBytes(32).toString('hex'), JSON.stringify(allowedOrigins), JSON.stringify(config)],
    );
    this.cache.delete(key);
    return (await this.get(key))!;
  }
}

/** The server-wide secret that signs visitor tokens, shared by every instance through the store. */
export async function serverSecret(db: Queryable, name = 'visitor_token'): Promise<string> {
  await db.query('INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    randomBytes(32).toString('hex'),
  ]);
  const { rows } = await db.query<{ value: string }>('SELECT value FROM server_secrets WHERE name = $1', [name]);
  return rows[0]!.value;
}
