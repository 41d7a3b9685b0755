import { resolve } from 'node:path';
import { buildApp } from './app.js';
import { packageRoot, serverRoot } from './lib/package-root.js';
import { demoStatics, serverStatics } from './demo-statics.js';
import { applySiteFile } from './site-file.js';
import { countOwners, ensureAgents } from './agents.js';
import { isProduction, openEnvStore, storeOptionsFromEnv } from './server-env.js';
import { attachmentOptionsFromEnv } from './attachments/attachment-options.js';

/**
 * `npm start`: the reference server on the embedded store (or PostgreSQL when
 * DATABASE_URL is set), the CDN build and the console, on one port; in
 * development also the demo site, its `demo` key and a development agent.
 * `NODE_ENV=production` has none of those, and refuses to start without an
 * owner (made with `npx touchpoint agents add … --role owner`): docs/deploy.md.
 */
const root = packageRoot();
const env = process.env;
const port = Number(env.PORT ?? 8787);
const host = env.HOST ?? '127.0.0.1';
const production = isProduction(env);
const { dataDir } = storeOptionsFromEnv(root, env);

let store;
try {
  store = await openEnvStore(root, env);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
const app = await buildApp({
  store,
  logger: { level: env.LOG_LEVEL ?? 'info' },
  rateLimit: env.TOUCHPOINT_RATE_LIMIT === '0' ? { perSecond: 0, burst: 0 } : undefined,
  statics: production ? serverStatics(root) : demoStatics(root),
  ...attachmentOptionsFromEnv(root, dataDir, env),
});
// Sites and their config (survey definitions…) from a JSON file; in development the demo's by default.
const sitesFile = env.TOUCHPOINT_SITES_FILE ?? (production ? undefined : resolve(serverRoot(), 'demo-sites.json'));
if (sitesFile) await applySiteFile(app.deps.sites, resolve(root, sitesFile));
const demo = production ? undefined : await app.deps.sites.ensure('demo', 'Demo site');
const devAgent = await ensureAgents(store, env.TOUCHPOINT_AGENTS, { production });
if (production && (await countOwners(store)) === 0) {
  process.stderr.write(
    [
      'Touchpoint: no owner yet, and NODE_ENV=production makes no development agent.',
      'Create the first owner (with the server stopped when the store is PGlite), then start again:',
      '  npx touchpoint agents add --email you@example.com --name "Your Name" --role owner',
      '',
    ].join('\n'),
  );
  await app.close();
  await store.close();
  process.exit(1);
}

await app.listen({ port, host });
const base = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
process.stdout.write(
  [
    '',
    `  Touchpoint reference server (${store.kind}${store.kind === 'pglite' ? `, data in ${dataDir}` : ''}${production ? ', production' : ''})`,
    demo ? `  Demo site:   ${base}/` : '',
    `  Console:     ${base}/console/`,
    `  Protocol:    ${base}/v1/${demo ? `  (site key "${demo.key}")` : ''}`,
    `  Script tag:  ${base}/cdn/touchpoint.js  (sites: npx touchpoint sites list)`,
    devAgent ? `  Agent login: ${devAgent.email} / ${devAgent.password}  (an owner; real ones: npx touchpoint agents add)` : '',
    demo ? `  Conformance: npm run conformance -- --url ${base} --site ${demo.key} --admin-token ${app.deps.adminToken}` : '',
    '  Stop with Ctrl-C.',
    '',
  ]
    .filter((l, i, all) => l !== '' || i === 0 || i === all.length - 1)
    .join('\n') + '\n',
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
