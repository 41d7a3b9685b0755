#!/usr/bin/env node
// Finds Debian's Chromium for vitest browser mode and Playwright. Browsers are
// never downloaded: `npx playwright install` cannot work on our machines.
// With --install, installs Debian's `chromium` package when it is missing and
// we are root on Debian; otherwise exits with a message saying how to get one.
import { existsSync } from 'node:fs';
import { aptInstall } from './apt-install.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The Chromium executable, or undefined. CHROMIUM_PATH wins when set. */
export const findChromium = () => {
  const env = process.env.CHROMIUM_PATH;
  if (env) return existsSync(env) ? env : undefined;
  return CANDIDATES.find((p) => existsSync(p));
};


/** Finds Chromium, installing Debian's package if allowed; exits with advice when it can't. */
export const requireChromium = () => {
  let path = findChromium();
  if (path) return path;
  if (!process.env.CHROMIUM_PATH && aptInstall('chromium', 'Chromium')) {
    path = findChromium();
    if (path) return path;
  }
  console.error(
    [
      '',
      'Touchpoint tests need Chromium, and never download one.',
      process.env.CHROMIUM_PATH ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist.` : 'None was found at ' + CANDIDATES.join(', ') + '.',
      'Get one of these ways:',
      '  - Debian/Ubuntu: sudo apt-get install chromium   (or run the tests as root and they install it)',
      '  - any OS: install Chrome or Chromium and set CHROMIUM_PATH=/path/to/chrome',
      '',
    ].join('\n'),
  );
  process.exit(1);
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv.includes('--install') ? requireChromium() : findChromium();
  if (!path) {
    console.error('Chromium not found (run with --install).');
    process.exit(1);
  }
  console.log(path);
}
