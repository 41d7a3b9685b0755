import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Turns a reply into a Server-Sent Events stream. Headers set earlier on the
 * reply (CORS) are kept; a comment every 20 s keeps proxies from closing an
 * idle stream; `retry` tells EventSource to reconnect after 2 s.
 */
/** Open streams per server, ended on shutdown so clients reconnect (to another instance) at once. */
const streams = new WeakMap<object, Set<{ end(): void }>>();
export const endAllStreams = (server: object): void => {
  for (const s of streams.get(server) ?? []) s.end();
};

export const openSse = (req: FastifyRequest, reply: FastifyReply, onClose: () => void): ((chunk: string) => void) => {
  reply.hijack();
  const raw = reply.raw;
  let set = streams.get(req.server);
  if (!set) streams.set(req.server, (set = new Set()));
  set.add(raw);
  raw.on('close', () => set.delete(raw));
  raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.write('retry: 2000\n\n');
  const ping = setInterval(() => raw.write(': ping\n\n'), 20_000);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    set.delete(raw); // also when raw's own 'close' fired before it was listened to
    clearInterval(ping);
    onClose();
  };
  req.raw.on('close', close);
  raw.on('error', close);
  // The client may have gone while the route awaited (its 'close' already fired, unheard): end now, once the caller has
  // set up synchronously — an agent's console stream missed so stayed an online presence connection, kept fresh by its heartbeat.
  if (req.raw.socket?.destroyed) setImmediate(close);
  return (chunk) => {
    if (!closed) raw.write(chunk);
  };
};
