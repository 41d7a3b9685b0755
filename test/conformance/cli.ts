#!/usr/bin/env node
/**
 * `npm run conformance -- --url http://host:port --site KEY [--admin-token T]
 *  [--locked-site KEY] [--site-secret S]`: runs every check of the Touchpoint
 * protocol against any backend and prints one line per check, then
 * `N passed, N failed` (and how many were skipped for lack of an option).
 */
import { parseArgs } from 'node:util';
import { CHECKS } from './checks.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    site: { type: 'string' },
    'admin-token': { type: 'string' },
    'locked-site': { type: 'string' },
    'site-secret': { type: 'string' },
    channel: { type: 'string' },
    'channel-secret': { type: 'string' },
  },
});
if (!values.url || !values.site) {
  console.error('usage: npm run conformance -- --url http://host:port --site SITE_KEY [--admin-token T] [--locked-site KEY] [--site-secret S] [--channel NAME --channel-secret S]');
  process.exit(2);
}
const target = { url: values.url, site: values.site, adminToken: values['admin-token'], lockedSite: values['locked-site'], siteSecret: values['site-secret'], channel: values.channel, channelSecret: values['channel-secret'] };
const has = { adminToken: !!target.adminToken, lockedSite: !!target.lockedSite, siteSecret: !!target.siteSecret, channel: !!(target.channel && target.channelSecret) };

let passed = 0;
let failed = 0;
let skipped = 0;
for (const check of CHECKS) {
  const missing = (check.needs ?? []).filter((n) => !has[n]);
  if (missing.length) {
    skipped++;
    console.log(`  - skipped  ${check.name} (needs ${missing.join(', ')})`);
    continue;
  }
  try {
    const note = await check.run(target);
    passed++;
    console.log(`  ✓ ${check.name}${note ? `\n    ${note}` : ''}`);
  } catch (e) {
    failed++;
    console.log(`  ✗ ${check.name}\n    ${(e as Error).message}`);
  }
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
