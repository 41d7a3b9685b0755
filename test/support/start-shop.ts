import Fastify from 'fastify';
import { shopStatics, type ShopOptions } from '../../server/demo-statics.js';
import { registerStatics } from '../../server/lib/serve-static.js';

export interface Shop {
  /** The shop's origin, e.g. http://127.0.0.2:41234: another origin (and another site) than the Touchpoint server. */
  url: string;
  /**
   * Serves `html` at `${url}/pages/${name}` from now on: a test's own page, on
   * the shop's origin for real (a page fulfilled by request interception has
   * no address, and Chromium then treats its requests to loopback as a public
   * page reaching into the local network).
   */
  page(name: string, html: string, headers?: Record<string, string>): string;
  close(): Promise<void>;
}

/**
 * A site owner's shop: the demo pages (examples/) on their own web server,
 * at another loopback address than the Touchpoint server, loading the SDK and
 * the elements from it as the README's snippet says. 127.0.0.2 makes it
 * another site, not only another origin (cookies, storage partitioning).
 */
export const startShop = async (root: string, o: ShopOptions & { host?: string }): Promise<Shop> => {
  // Closed at a test's end with its page still open: a request of that page in flight then (a lazy favicon,
  // a late stylesheet) left its keep-alive socket open after the answer, and close() waited for Fastify's
  // keepAliveTimeout, 72 s (CI: the third-origin test timed out in other.close()). A test server owes nobody a drain.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const pages = new Map<string, { html: string; headers: Record<string, string> }>();
  app.get('/pages/:name', async (req, reply) => {
    const p = pages.get((req.params as { name: string }).name);
    return p === undefined ? reply.code(404).send('No such page.') : reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').headers(p.headers).send(p.html);
  });
  await registerStatics(app, shopStatics(root, o));
  const host = o.host ?? '127.0.0.2';
  await app.listen({ port: 0, host });
  const addr = app.server.address();
  const url = `http://${host}:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url,
    page: (name, html, headers = {}) => {
      pages.set(name, { html, headers });
      return `${url}/pages/${name}`;
    },
    close: () => app.close(),
  };
};
