import { defineConfig } from '@playwright/test';
// @ts-expect-error -- plain ESM helper shared with vitest and the test runner
import { findChromium, CHROMIUM_ARGS } from './scripts/find-chromium.mjs';

/** Whole journeys in Debian's Chromium against the real reference server (started per worker by the fixtures). */
export default defineConfig({
  testDir: 'test/e2e',
  // In-memory stores start from one blank cluster dump (test/support/pglite-template.ts).
  globalSetup: './test/support/pglite-template.ts',
  timeout: 30_000,
  workers: 1,
  reporter: process.env.CI ? 'list' : 'list',
  use: {
    launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS },
  },
});
