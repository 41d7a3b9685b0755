import { existsSync, readFileSync } from 'node:fs';

/**
 * The built snippet (dist/cdn/snippet.min.js) with a site's values filled in:
 * the script-tag entry's URL and the init options. The one place both the demo
 * site and the console's "copy your snippet" make it.
 */
export const renderSnippet = (snippetFile: string, o: { src: string; siteKey: string; features?: string }): string => {
  if (!existsSync(snippetFile)) return '';
  const init = JSON.stringify({ siteKey: o.siteKey, ...(o.features ? { features: o.features } : {}) });
  return readFileSync(snippetFile, 'utf8')
    .trim()
    .replace(/(['"])SRC\1/, JSON.stringify(o.src))
    .replace(/\{siteKey:['"]SITE_KEY['"]\}/, init);
};
