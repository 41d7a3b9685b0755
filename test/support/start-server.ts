import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../server/app.js';
import { openStore } from '../../server/store/open-store.js';
import type { Store } from '../../server/store/store.js';

export interface TestServer {
  url: string;
  app: FastifyInstance;
  store: Store;
  close(): Promise<void>;
}

/**
 * A reference server built with `options` on a free loopback port, its own store
 * (in-memory PGlite, or PostgreSQL at `databaseUrl`) and the demo site; `prepare`
 * runs before it listens (a hook, a fault injector). Every test server is one of these.
 */
export const listenApp = async (
  options: Omit<AppOptions, 'store'> & { databaseUrl?: string | undefined; siteName?: string },
  prepare: (app: FastifyInstance) => void = () => {},
): Promise<TestServer> => {
  const { databaseUrl, siteName = 'Demo site', ...appOptions } = options;
  const store = await openStore({ databaseUrl });
  const app = await buildApp({ store, ...appOptions });
  await app.deps.sites.ensure('demo', siteName);
  prepare(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`,
    app,
    store,
    async close() {
      await app.close();
      await store.close();
    },
  };
};

/**
 * A real reference server on a free loopback port with its own store:
 * in-memory PGlite by default, PostgreSQL when `databaseUrl` is given;
 * `now` is the server's clock for every fact it records (test/support/clock.ts).
 */
export const startServer = async (
  options: { databaseUrl?: string; statics?: AppOptions['statics']; rateLimit?: AppOptions['rateLimit']; deliveries?: AppOptions['deliveries']; now?: AppOptions['now']; channels?: AppOptions['channels']; waitingMail?: AppOptions['waitingMail'] } = {},
): Promise<TestServer> =>
  listenApp(
    { databaseUrl: options.databaseUrl, statics: options.statics, rateLimit: options.rateLimit ?? { perSecond: 0, burst: 0 }, deliveries: options.deliveries ?? { intervalMs: 50, baseDelayMs: 30 }, now: options.now, channels: options.channels, waitingMail: options.waitingMail },
    (app) => {
      // Fault injection for delivery tests: answer the next N batches with a status.
      const faulty = app as unknown as { faults?: { count: number; status: number; retryAfter?: number } };
      app.addHook('onRequest', async (req, reply) => {
        const f = faulty.faults;
        if (!f || f.count <= 0 || req.method !== 'POST' || !req.url.startsWith('/v1/batch')) return;
        f.count--;
        if (f.retryAfter) reply.header('retry-after', String(f.retryAfter));
        return reply.code(f.status).send({ error: { code: f.status === 429 ? 'rate_limited' : 'internal', message: 'Injected fault.' } });
      });
    },
  );
