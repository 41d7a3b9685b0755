import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Turns a reply into a Server-Sent Events stream. Headers set earlier on the
 * reply (CORS) are kept; a comment every 20 s keeps proxies from closing an
 * idle stream; `retry` tells EventSource to reconnect after 2 s.
 */
export const openSse = (req: FastifyRequest, reply: FastifyReply, onClose: () => void): ((chunk: string) => void) => {
  reply.hijack();
  const raw = reply.raw;
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
    clearInterval(ping);
    onClose();
  };
  req.raw.on('close', close);
  raw.on('error', close);
  return (chunk) => {
    if (!closed) raw.write(chunk);
  };
};
