import { resolve } from 'node:path';
import { buildApp } from './app.js';
import { packageRoot } from './lib/package-root.js';
import { openStore } from './store/open-store.js';
import { demoStatics } from './demo-statics.js';
import { applySiteFile } from './site-file.js';
import { ensureAgents } from './agents.js';

/**
 * `npm start`: the reference server on the embedded store (or PostgreSQL when
 * DATABASE_URL is set), the demo site and the CDN build, on one port.
 */
const root = packageRoot();
const env = process.env;
const port = Number(env.PORT ?? 8787);
const host = env.HOST ?? '127.0.0.1';
const dataDir = resolve(root, env.TOUCHPOINT_DATA_DIR ?? '.touchpoint/data');

const store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir });
const app = await buildApp({
  store,
  logger: { level: env.LOG_LEVEL ?? 'info' },
  rateLimit: env.TOUCHPOINT_RATE_LIMIT === '0' ? { perSecond: 0, burst: 0 } : undefined,
  statics: demoStatics(root),
});
// Sites and their config (survey definitions…) from a JSON file; the demo's by default.
await applySiteFile(app.deps.sites, resolve(root, env.TOUCHPOINT_SITES_FILE ?? 'server/demo-sites.json'));
const demo = await app.deps.sites.ensure('demo', 'Demo site');
const devAgent = await ensureAgents(store);

await app.listen({ port, host });
const base = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
process.stdout.write(
  [
    '',
    `  Touchpoint reference server (${store.kind}${store.kind === 'pglite' ? `, data in ${dataDir}` : ''})`,
    `  Demo site:   ${base}/`,
    `  Console:     ${base}/console/`,
    `  Protocol:    ${base}/v1/  (site key "${demo.key}")`,
    devAgent ? `  Agent login: ${devAgent.email} / ${devAgent.password}  (set TOUCHPOINT_AGENTS="email:password:Name;…" for real ones)` : '',
    `  Conformance: npm run conformance -- --url ${base} --site ${demo.key} --admin-token ${app.deps.adminToken}`,
    '  Stop with Ctrl-C.',
    '',
  ].join('\n') + '\n',
);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'shutting down: finishing in-flight requests');
  // close() stops accepting, answers 503 meanwhile, and waits for in-flight writes.
  await app.close();
  await store.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
