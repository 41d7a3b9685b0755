import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { commands } from './test/support/browser-commands.js';
// @ts-expect-error -- plain ESM helper shared with the Playwright config and the test runner
import { findChromium, CHROMIUM_ARGS } from './scripts/find-chromium.mjs';
// @ts-expect-error -- plain ESM helper shared with rollup.config.mjs
import { PUBLIC_ENTRIES } from './scripts/public-entries.mjs';

/** The SDK's public entries as other layers import them (tsconfig.json `paths`, scripts/public-entries.mjs), to source. */
const entries = Object.fromEntries(Object.entries(PUBLIC_ENTRIES).map(([name, file]) => [name, `${file}.ts`]));

export default defineConfig({
  resolve: { alias: Object.entries(entries).map(([name, file]) => ({ find: new RegExp(`^${name}$`), replacement: new URL(file, import.meta.url).pathname })) },
  // Development build semantics in tests: DEV_MODE warnings are on.
  define: { DEV_MODE: 'true' },
  test: {
    projects: [
      {
        extends: true,
        // A store starting on a loaded machine (PGlite's first open, migrations) can take longer than vitest's 10 s hook default.
        test: { name: 'node', include: ['test/node/**/*.test.ts'], environment: 'node', testTimeout: 20_000, hookTimeout: 60_000 },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 60_000,
          globalSetup: ['test/support/close-browser-server.ts'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({ launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS } }),
            instances: [{ browser: 'chromium' }],
            commands,
          },
        },
      },
    ],
  },
});
