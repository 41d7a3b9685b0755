/** Crawler and automation user agents (flag, never drop: the site decides). */
const CRAWLER = /bot\b|crawl|spider|slurp|lighthouse|pagespeed|headless|phantomjs|prerender|facebookexternalhit|embedly|preview/i;

/** Why the client looks automated, or `undefined` when it looks human. */
export const botFlag = (): string | undefined => {
  const n = navigator;
  if (n.webdriver) return 'webdriver';
  if (/HeadlessChrome/.test(n.userAgent)) return 'headless';
  if (CRAWLER.test(n.userAgent)) return 'crawler';
  return undefined;
};
