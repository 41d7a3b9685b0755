import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import type { BrowserCommand } from 'vitest/node';
import type { commands as CommandImpls } from './test/support/browser-commands.js';
// @ts-expect-error -- plain ESM helper shared with the Playwright config and the test runner
import { findChromium, CHROMIUM_ARGS } from './scripts/find-chromium.mjs';
// @ts-expect-error -- plain ESM helper shared with rollup.config.mjs
import { PUBLIC_ENTRIES } from './scripts/public-entries.mjs';

/** The SDK's public entries as other layers import them (tsconfig.json `paths`, scripts/public-entries.mjs), to source. */
const entries = Object.fromEntries(Object.entries(PUBLIC_ENTRIES).map(([name, file]) => [name, `${file}.ts`]));

/**
 * The browser tests' Node-side commands (test/support/browser-commands.ts) reach the
 * real server. They are loaded through the project's own module runner on first use,
 * not imported here: an import here is bundled into the config, where the server's
 * `touchpoint/protocol` resolves through the package to a built dist/npm — so every
 * node test needed a fresh build, and one engineer's half-typed change broke everyone's.
 * Through the runner the alias below maps it to source like every other import.
 */
const COMMANDS = ['serverUrl', 'storedItems', 'failNextBatches', 'userHash', 'replayChunks', 'updateDocs', 'chatSite'] as const;
type Commands = typeof CommandImpls;
const commands = Object.fromEntries(
  COMMANDS.map((name): [string, BrowserCommand<unknown[]>] => [
    name,
    async (ctx, ...args) => {
      const { commands: impl } = await ctx.project.import<{ commands: Commands }>('/test/support/browser-commands.ts');
      return (impl[name] as BrowserCommand<unknown[]>)(ctx, ...args);
    },
  ]),
);

export default defineConfig({
  resolve: { alias: Object.entries(entries).map(([name, file]) => ({ find: new RegExp(`^${name}$`), replacement: new URL(file, import.meta.url).pathname })) },
  // Development build semantics in tests: DEV_MODE warnings are on.
  define: { DEV_MODE: 'true' },
  test: {
    projects: [
      {
        extends: true,
        // A store starting on a loaded machine (PGlite's first open, migrations) can take longer than vitest's 10 s hook default.
        test: { name: 'node', include: ['test/node/**/*.test.ts'], environment: 'node', testTimeout: 20_000, hookTimeout: 60_000, globalSetup: ['test/support/pglite-template.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 60_000,
          globalSetup: ['test/support/pglite-template.ts', 'test/support/close-browser-server.ts'],
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
