import Fastify from 'fastify';
import { shopStatics, type ShopOptions } from '../../server/demo-statics.js';
import { registerStatics } from '../../server/lib/serve-static.js';

export interface Shop {
  /** The shop's origin, e.g. http://127.0.0.2:41234: another origin (and another site) than the Touchpoint server. */
  url: string;
  close(): Promise<void>;
}

/**
 * A site owner's shop: the demo pages (examples/) on their own web server,
 * at another loopback address than the Touchpoint server, loading the SDK and
 * the elements from it as the README's snippet says. 127.0.0.2 makes it
 * another site, not only another origin (cookies, storage partitioning).
 */
export const startShop = async (root: string, o: ShopOptions & { host?: string }): Promise<Shop> => {
  const app = Fastify({ logger: false });
  await registerStatics(app, shopStatics(root, o));
  const host = o.host ?? '127.0.0.2';
  await app.listen({ port: 0, host });
  const addr = app.server.address();
  return { url: `http://${host}:${typeof addr === 'object' && addr ? addr.port : 0}`, close: () => app.close() };
};
