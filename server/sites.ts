import { randomBytes } from 'node:crypto';
import type { Queryable, Store } from './store/store.js';

export interface Site {
  key: string;
  name: string;
  /** HMAC key for `userHash`; known to the site's backend, never to browsers. */
  secret: string;
  /**
   * Every secret a `userHash` may be made with right now: the current one and,
   * for the grace period after a rotation, the one before it — pages rendered
   * before the rotation (and backends not yet redeployed) keep verifying.
   */
  secrets: string[];
  /** Until when the previous secret still verifies (ISO 8601), after a rotation. */
  previousSecretUntil?: string;
  /** Origins allowed to call the API for this site; `*` allows any. */
  allowedOrigins: string[];
  config: Record<string, unknown>;
}

interface SiteRow {
  key: string;
  name: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | string | null;
  allowed_origins: string[];
  config: Record<string, unknown>;
}

/** How long the previous secret verifies after a rotation, unless the operator says otherwise: a visitor token's life (24 h). */
export const SECRET_GRACE_S = 24 * 3600;

const COLUMNS = 'key, name, secret, previous_secret, previous_secret_until, allowed_origins, config';
const newSecret = () => randomBytes(32).toString('hex');

/** A site key: letters, digits, `_` and `-`, up to 64 (as the protocol's schemas say). */
export const SITE_KEY = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * An origin as browsers send it: scheme, host and port only (`https://shop.example`);
 * `*` allows any. Anything else (a path, a trailing slash) would never match a
 * request, so it is refused when written, not silently ignored when read.
 */
export const normalizeOrigin = (value: string): string => {
  if (value === '*') return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`"${value}" is not an origin (scheme://host[:port], e.g. https://shop.example).`);
  }
  if (!/^https?:$/.test(url.protocol) || url.origin === 'null' || url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || value.endsWith('/')) {
    throw new Error(`"${value}" is not an origin (scheme://host[:port], e.g. https://shop.example).`);
  }
  return url.origin;
};

/** The NOTIFY channel on which every write to a site says its key: each instance drops its cached copy at once. */
export const SITES_CHANNEL = 'tp_sites';

/** How long a cached site lives with no change signalled: a backstop for a notification lost while the listener reconnected. */
const CACHE_MS = 60_000;

const isStore = (db: Queryable): db is Store => typeof (db as Partial<Store>).notify === 'function';

/**
 * Site lookups with a cache: every request needs its site, and sites change
 * rarely. Every write goes through here and ends with a NOTIFY of the key on
 * `tp_sites`; every instance LISTENs (`watch()`) and drops that key, so a
 * setting saved on one instance is served by all of them at once — no restart,
 * no stale window (PGlite: one process, the same signal in-process). The
 * operator's writes (create, rotate, origins, settings) are here too, one place
 * for the sites table.
 */
export class Sites {
  private readonly cache = new Map<string, { site: Site | undefined; at: number }>();
  /**
   * Bumped by every forget: a read that began before a write committed can
   * answer after its signal was handled, and must not cache the old row then
   * (it would be served for CACHE_MS). A read caches only if no forget
   * happened while it ran.
   */
  private generation = 0;
  /** `now` decides when a rotated-out secret stops verifying (ms since epoch). */
  constructor(
    private readonly db: Queryable,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Listening for every instance's writes, begun before the first site is
   * cached (so no signal can be missed for a cached copy); it ends with the
   * store's connection.
   */
  private watching: Promise<unknown> | undefined;
  private watch(): Promise<unknown> {
    return (this.watching ??= isStore(this.db) ? this.db.listen(SITES_CHANNEL, (key) => this.forget(key)) : Promise.resolve());
  }

  /** Drops a cached site (`*`: all of them). */
  forget(key: string): void {
    this.generation++;
    if (key === '*') this.cache.clear();
    else this.cache.delete(key);
  }

  /** After a write: this instance forgets at once, the others on the signal. */
  private async changed(key: string): Promise<void> {
    this.forget(key);
    if (isStore(this.db)) await this.db.notify(SITES_CHANNEL, key);
  }

  private toSite(r: SiteRow): Site {
    const until = r.previous_secret_until ? new Date(r.previous_secret_until) : undefined;
    const graceful = r.previous_secret && until && until.getTime() > this.now();
    return {
      key: r.key,
      name: r.name,
      secret: r.secret,
      secrets: graceful ? [r.secret, r.previous_secret!] : [r.secret],
      ...(graceful ? { previousSecretUntil: until.toISOString() } : {}),
      allowedOrigins: r.allowed_origins,
      config: r.config,
    };
  }

  async get(key: string): Promise<Site | undefined> {
    await this.watch();
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.site;
    const generation = this.generation;
    const { rows } = await this.db.query<SiteRow>(`SELECT ${COLUMNS} FROM sites WHERE key = $1`, [key]);
    const site = rows[0] ? this.toSite(rows[0]) : undefined;
    if (this.cache.size > 10_000) this.cache.clear();
    if (generation === this.generation) this.cache.set(key, { site, at: Date.now() });
    return site;
  }

  /** Every site, by key (the operator's list; no cache). */
  async list(): Promise<Site[]> {
    const { rows } = await this.db.query<SiteRow>(`SELECT ${COLUMNS} FROM sites ORDER BY key`);
    return rows.map((r) => this.toSite(r));
  }

  private async fresh(key: string): Promise<Site | undefined> {
    this.forget(key);
    return this.get(key);
  }

  /** After a write of `key`: signalled to every instance, then read back as stored. */
  private async written(key: string): Promise<Site> {
    await this.changed(key);
    return (await this.get(key))!;
  }

  /**
   * Replaces some of a site's settings in one statement: its name, its origins
   * (each checked) and the top-level keys of its config given in `config`
   * (`null` removes a key); other keys are kept as they are.
   */
  async update(key: string, change: { name?: string; allowedOrigins?: string[]; config?: Record<string, unknown> }): Promise<Site | undefined> {
    const origins = change.allowedOrigins ? [...new Set(change.allowedOrigins.map(normalizeOrigin))] : undefined;
    const set = Object.fromEntries(Object.entries(change.config ?? {}).filter(([, v]) => v !== null));
    const drop = Object.entries(change.config ?? {}).filter(([, v]) => v === null).map(([k]) => k);
    const { rows } = await this.db.query<{ key: string }>(
      `UPDATE sites SET name = coalesce($2, name), allowed_origins = coalesce($3::jsonb, allowed_origins), config = (config - $5::text[]) || $4::jsonb, updated_at = $6
       WHERE key = $1 RETURNING key`,
      [key, change.name ?? null, origins ? JSON.stringify(origins) : null, JSON.stringify(set), drop, new Date(this.now()).toISOString()],
    );
    if (!rows[0]) return undefined;
    return this.written(key);
  }

  /** Creates the site, or replaces its name, origins and config (its secret is kept). */
  async configure(key: string, name: string, allowedOrigins: string[], config: Record<string, unknown>): Promise<Site> {
    await this.db.query(
      `INSERT INTO sites (key, name, secret, allowed_origins, config) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (key) DO UPDATE SET name = excluded.name, allowed_origins = excluded.allowed_origins, config = excluded.config`,
      [key, name, newSecret(), JSON.stringify(allowedOrigins.map(normalizeOrigin)), JSON.stringify(config)],
    );
    return this.written(key);
  }

  /** Creates the site if missing (its secret is random), and returns it as stored. */
  async ensure(key: string, name: string, allowedOrigins: string[] = ['*'], config: Record<string, unknown> = {}): Promise<Site> {
    await this.db.query(
      'INSERT INTO sites (key, name, secret, allowed_origins, config) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key) DO NOTHING',
      [key, name, newSecret(), JSON.stringify(allowedOrigins.map(normalizeOrigin)), JSON.stringify(config)],
    );
    return this.written(key);
  }

  /**
   * A site file's entry at start: creates the site, or replaces its name,
   * origins and config when the entry differs from the one last applied
   * (`file_hash`); an unchanged entry leaves the console's edits alone.
   */
  async applyFileEntry(e: { key: string; name: string; allowedOrigins: string[]; config: Record<string, unknown>; hash: string }): Promise<void> {
    const { rows } = await this.db.query<{ key: string }>(
      `INSERT INTO sites (key, name, secret, allowed_origins, config, file_hash) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (key) DO UPDATE SET name = excluded.name, allowed_origins = excluded.allowed_origins, config = excluded.config, file_hash = excluded.file_hash
       WHERE sites.file_hash IS DISTINCT FROM excluded.file_hash RETURNING key`,
      [e.key, e.name, newSecret(), JSON.stringify(e.allowedOrigins.map(normalizeOrigin)), JSON.stringify(e.config), e.hash],
    );
    if (rows[0]) await this.changed(e.key);
  }

  /** Creates a new site; refuses a key that exists (the operator asked for a new one). */
  async create(key: string, name: string, allowedOrigins: string[]): Promise<Site> {
    if (!SITE_KEY.test(key)) throw new Error(`"${key}" is not a site key: use letters, digits, _ and -, up to 64.`);
    const origins = allowedOrigins.map(normalizeOrigin);
    const { rows } = await this.db.query<{ key: string }>(
      'INSERT INTO sites (key, name, secret, allowed_origins) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING RETURNING key',
      [key, name, newSecret(), JSON.stringify(origins)],
    );
    if (!rows[0]) throw new Error(`A site with the key "${key}" exists already.`);
    return this.written(key);
  }

  /**
   * Makes a new secret; the old one keeps verifying `userHash` for `graceS`
   * seconds (0: not at all — a leaked secret). Rotating again within the grace
   * period drops the oldest: only two secrets are ever valid.
   */
  async rotateSecret(key: string, graceS = SECRET_GRACE_S): Promise<Site> {
    const until = new Date(this.now() + graceS * 1000).toISOString();
    const { rows } = await this.db.query<{ key: string }>(
      `UPDATE sites SET previous_secret = CASE WHEN $3::int > 0 THEN secret END, previous_secret_until = CASE WHEN $3::int > 0 THEN $4::timestamptz END, secret = $2
       WHERE key = $1 RETURNING key`,
      [key, newSecret(), graceS, until],
    );
    if (!rows[0]) throw new Error(`No site has the key "${key}".`);
    return this.written(key);
  }

  /** Replaces the site's allowed origins (each checked: an origin, or `*`). */
  async setOrigins(key: string, allowedOrigins: string[]): Promise<Site> {
    const origins = [...new Set(allowedOrigins.map(normalizeOrigin))];
    const { rows } = await this.db.query<{ key: string }>('UPDATE sites SET allowed_origins = $2 WHERE key = $1 RETURNING key', [key, JSON.stringify(origins)]);
    if (!rows[0]) throw new Error(`No site has the key "${key}".`);
    return this.written(key);
  }

  async addOrigin(key: string, origin: string): Promise<Site> {
    const site = await this.fresh(key);
    if (!site) throw new Error(`No site has the key "${key}".`);
    return this.setOrigins(key, [...site.allowedOrigins, origin]);
  }

  async removeOrigin(key: string, origin: string): Promise<Site> {
    const site = await this.fresh(key);
    if (!site) throw new Error(`No site has the key "${key}".`);
    const o = normalizeOrigin(origin);
    if (!site.allowedOrigins.includes(o)) throw new Error(`${o} is not an allowed origin of "${key}".`);
    return this.setOrigins(
      key,
      site.allowedOrigins.filter((x) => x !== o),
    );
  }
}

/** The server-wide secret that signs visitor tokens, shared by every instance through the store. */
export async function serverSecret(db: Queryable, name = 'visitor_token'): Promise<string> {
  await db.query('INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, newSecret()]);
  const { rows } = await db.query<{ value: string }>('SELECT value FROM server_secrets WHERE name = $1', [name]);
  return rows[0]!.value;
}
