import { test as base, expect } from '@playwright/test';
import { resolve } from 'node:path';
import { demoStatics } from '../../server/demo-statics.js';
import { startServer, type TestServer } from '../support/start-server.js';
import { applySiteFile } from '../../server/site-file.js';

/** Rows the server stored for a visitor, read straight from its store. */
export const storedEvents = async (server: TestServer, anonymousId?: string) =>
  (
    await server.store.query<{ type: string; name: string | null; anonymous_id: string; original_timestamp: Date; payload: Record<string, any> }>(
      `SELECT type, name, anonymous_id, original_timestamp, payload FROM events ${anonymousId ? 'WHERE anonymous_id = $1' : ''} ORDER BY id`,
      anonymousId ? [anonymousId] : [],
    )
  ).rows;

/** A real reference server (PGlite in memory) serving the demo site and the built CDN files. */
export const test = base.extend<object, { server: TestServer }>({
  server: [
    async ({}, use) => {
      const root = resolve(import.meta.dirname, '../..');
      const server = await startServer({ statics: demoStatics(root) });
      // The demo site's config, as `npm start` applies it (survey definitions…).
      await applySiteFile(server.app.deps.sites, resolve(root, 'server/demo-sites.json'));
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
});
export { expect };
