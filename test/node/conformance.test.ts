import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { CHECKS } from '../conformance/checks.js';
import type { Target } from '../conformance/client.js';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';

// The conformance kit against the reference server, on every store: the same
// checks `npm run conformance` runs against any backend.
describe.each(STORES)('the conformance kit against the reference server on $name', ({ databaseUrl }) => {
  let s: TestServer;
  const target: Target = { url: '', site: 'demo' };
  beforeAll(async () => {
    // With a catch-all demo page, as `npm start` serves one: /v1 must still answer JSON.
    const pages = mkdtempSync(join(tmpdir(), 'tp-conf-'));
    writeFileSync(join(pages, 'index.html'), '<!doctype html><title>Demo</title>');
    s = await startServer({ databaseUrl: await databaseUrl(), statics: [{ prefix: '/', root: pages, spaFallback: 'index.html' }] });
    await s.app.deps.sites.ensure('locked', 'Locked site', ['https://allowed.invalid']);
    // An inbound channel whose replies go nowhere reachable (the checks do not need them).
    await s.app.deps.sites.configure('demo', 'Demo site', ['*'], {
      integrations: { channels: { email: { secret: 'conformance-channel-secret', replyUrl: 'http://127.0.0.1:9/reply' } } },
      // The survey the kit's answers are for: known surveys are validated against their definition.
      surveys: [
        {
          id: 'conf-ces',
          version: 1,
          questions: [{ id: 'ces', type: 'ces' }, { id: 'why', type: 'text', prompt: 'What made it hard?' }],
          translations: { 'zh-Hant': { questions: { why: { prompt: '哪裡不容易？' } } }, ar: { questions: { why: { prompt: 'ما الذي جعله صعبًا؟' } } } },
        },
      ],
    });
    Object.assign(target, {
      url: s.url,
      adminToken: s.app.deps.adminToken,
      lockedSite: 'locked',
      siteSecret: (await s.app.deps.sites.get('demo'))!.secret,
      channel: 'email',
      channelSecret: 'conformance-channel-secret',
    });
  }, 60_000);
  afterAll(() => s?.close());

  for (const check of CHECKS)
    it(check.name, async () => {
      const note = await check.run(target);
      if (note) console.log(`${check.name}\n  ${note}`);
    }, 60_000);
});
