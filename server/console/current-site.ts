import { api } from './api.js';
import { siteDays } from './site-days.js';

type SiteEntry = { key: string; name: string; timeZone: string };
let sites: Promise<SiteEntry[]> | undefined;

/** The sites an agent can see (once per page load). */
export const listSites = (): Promise<SiteEntry[]> => (sites ??= api<{ sites: SiteEntry[] }>('/sites').then((r) => r.sites));

/** A site's last 30 days in its own zone, the one its reports cut days in (UTC for a site the agent cannot see): the date inputs' default. */
export const siteDaysOf = async (key: string): Promise<{ from: string; to: string }> => siteDays((await listSites()).find((s) => s.key === key)?.timeZone ?? 'UTC');

/** The site a page shows: `?site=` when given, else the first site. */
export const currentSite = async (): Promise<string | undefined> => new URLSearchParams(location.search).get('site') ?? (await listSites())[0]?.key;
