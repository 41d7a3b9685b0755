import { api } from './api.js';

let sites: Promise<{ key: string; name: string }[]> | undefined;

/** The sites an agent can see (once per page load). */
export const listSites = (): Promise<{ key: string; name: string }[]> =>
  (sites ??= api<{ sites: { key: string; name: string }[] }>('/sites').then((r) => r.sites));

/** The site a page shows: `?site=` when given, else the first site. */
export const currentSite = async (): Promise<string | undefined> => new URLSearchParams(location.search).get('site') ?? (await listSites())[0]?.key;
