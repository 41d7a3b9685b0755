// Ingest throughput of the reference server: autocannon on loopback posting
// 50-event batches (fresh message ids every request, so every event is a real
// insert), on embedded PGlite and on PostgreSQL. Figures, not a timed test.
import autocannon from 'autocannon';
import { buildApp } from '../../server/dist/js/app.js';
import { openStore } from '../../server/dist/js/store/open-store.js';
import { startPostgres } from '../../scripts/postgres.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const title = 'Ingest: 50-event batches on loopback';

const SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 20);
const BATCH = 50;
const CONNECTIONS = 8;

const batchBody = (() => {
  let n = 0;
  return () => {
    const now = new Date().toISOString();
    const run = `${process.pid}-${Date.now().toString(36)}-${n++}`;
    return JSON.stringify({
      protocol: 1,
      sentAt: now,
      batch: Array.from({ length: BATCH }, (_, i) => ({
        type: 'track',
        event: 'Bench Event',
        messageId: `b-${run}-${i}`,
        anonymousId: `anon-${n % 1000}`,
        timestamp: now,
        properties: { i, plan: 'pro', revenue: 12.5 },
        context: { page: { url: 'https://shop.example/checkout', path: '/checkout', title: 'Checkout' }, session: { id: `s-${n % 500}` }, library: { name: 'touchpoint', version: '0.1.0' } },
      })),
    });
  };
})();

const measure = async (name, databaseUrl) => {
  // PGlite on disk, as `npm start` runs it (in memory, the database itself would grow the heap).
  const dataDir = databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'tp-bench-'));
  const store = await openStore({ databaseUrl, dataDir });
  const app = await buildApp({ store, rateLimit: { perSecond: 0, burst: 0 } });
  await app.deps.sites.ensure('bench', 'Bench');
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${app.server.address().port}`;
  const rss = [];
  const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 1000);
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [{ method: 'POST', path: '/v1/batch?site=bench', headers: { 'content-type': 'text/plain' }, setupRequest: (r) => ({ ...r, body: batchBody() }) }],
  });
  clearInterval(sampler);
  const stored = Number((await store.query('SELECT count(*)::int AS n FROM events')).rows[0].n);
  await app.close();
  await store.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  const mb = (b) => `${Math.round(b / 2 ** 20)} MB`;
  const half = Math.floor(rss.length / 2);
  return {
    name,
    eventsPerSec: Math.round((stored / SECONDS) | 0),
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    rss: `${mb(rss[1] ?? 0)} → ${mb(rss[half] ?? 0)} → ${mb(rss.at(-1) ?? 0)}`,
  };
};

export const run = async () => {
  const rows = [await measure('PGlite (embedded)')];
  const pg = await startPostgres();
  if (pg) {
    rows.push(await measure('PostgreSQL 15', pg.url));
    await pg.stop();
  }
  return [
    `${SECONDS} s per store, ${CONNECTIONS} connections, ${BATCH} events per request, every event a new row. Targets: ≥ 5,000 events/s on PGlite, ≥ 10,000 on PostgreSQL, p99 < 100 ms, memory flat.`,
    '',
    '| store | events/s stored | requests/s | p50 ms | p99 ms | errors | server RSS (start → middle → end) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map((r) => `| ${r.name} | ${r.eventsPerSec.toLocaleString('en')} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.rss} |`),
  ].join('\n');
};
