import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** What the proxy does with one request instead of forwarding it as is. */
export type Fault =
  /** Answer this status (and `Retry-After`) without forwarding. */
  | { status: number; retryAfter?: number }
  /** Destroy the connection before forwarding: the client sees a network error. */
  | 'reset'
  /** Forward (the server stores it), then destroy the connection instead of answering: a lost acknowledgement. */
  | 'drop-ack';

export interface SeenRequest {
  method: string;
  path: string;
  /** Raw body as received. */
  body: Buffer;
  /** The body as text, gunzipped when the request says `encoding=gzip`. */
  text: string;
  /** What the client got: a status, or 'reset'. */
  outcome: number | 'reset';
}

export interface FaultProxy {
  url: string;
  /** Every request seen, in arrival order. */
  seen: SeenRequest[];
  /** Decides a fault per request (undefined: forward). Replace at will. */
  fault: (req: SeenRequest) => Fault | undefined;
  /** The server requests go to (can be switched, e.g. to another instance after a shutdown). */
  target: string;
  close(): Promise<void>;
}

/**
 * A fault-injecting HTTP proxy between page and server (issue #19): every
 * request is read whole, then answered with a fault or forwarded unchanged,
 * its answer streamed back with the server's headers (CORS included). What
 * reached the server is counted at the server, from its store.
 */
export const startFaultProxy = async (target: string): Promise<FaultProxy> => {
  const proxy: FaultProxy = { url: '', seen: [], fault: () => undefined, target, close: async () => {} };
  const sockets = new Set<Socket>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let text = '';
      try {
        text = (/[?&]encoding=gzip/.test(req.url!) ? gunzipSync(body) : body).toString('utf8');
      } catch {
        // Not gzip after all: `text` stays empty, the raw body is forwarded.
      }
      const seen: SeenRequest = { method: req.method!, path: req.url!, body, text, outcome: 0 };
      proxy.seen.push(seen);
      const fault = proxy.fault(seen);
      if (fault === 'reset') {
        seen.outcome = 'reset';
        return req.socket.destroy();
      }
      if (fault && fault !== 'drop-ack') {
        seen.outcome = fault.status;
        const origin = req.headers.origin;
        res.writeHead(fault.status, {
          'content-type': 'application/json',
          ...(origin ? { 'access-control-allow-origin': origin, 'access-control-expose-headers': 'retry-after' } : {}),
          ...(fault.retryAfter ? { 'retry-after': String(fault.retryAfter) } : {}),
        });
        return res.end(JSON.stringify({ error: { code: fault.status === 429 ? 'rate_limited' : 'internal', message: 'Injected fault.' } }));
      }
      const up = request(`${proxy.target}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(proxy.target).host }, agent: false }, (answer) => {
        if (fault === 'drop-ack') {
          answer.resume();
          seen.outcome = 'reset';
          return req.socket.destroy();
        }
        seen.outcome = answer.statusCode!;
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      up.on('error', () => {
        seen.outcome = 'reset';
        req.socket.destroy();
      });
      up.end(body);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    });
  return proxy;
};
