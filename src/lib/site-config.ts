import { API_PREFIX } from '../protocol/constants.js';
import type { SiteConfig } from '../protocol/site-config.js';

const cache = new Map<string, Promise<SiteConfig | undefined>>();

/**
 * The site's public config (`GET /v1/sites/{key}/config`), fetched once per
 * page for every lazy feature that needs it (surveys, replay sampling).
 * Resolves `undefined` when unreachable: features then use their defaults.
 */
export const siteConfig = (endpoint: string | undefined, siteKey: string | undefined): Promise<SiteConfig | undefined> => {
  const url = `${(endpoint ?? location.origin).replace(/\/$/, '')}${API_PREFIX}/sites/${encodeURIComponent(siteKey ?? '')}/config`;
  let p = cache.get(url);
  if (!p) cache.set(url, (p = fetch(url, { credentials: 'omit' }).then((r) => (r.ok ? (r.json() as Promise<SiteConfig>) : undefined)).catch(() => undefined)));
  return p;
};
