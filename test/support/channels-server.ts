import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AppOptions } from '../../server/app.js';
import { listenApp, type TestServer } from './start-server.js';

/**
 * A reference server with its channels on: the SMTP listener on a free
 * loopback port, replies relayed to `relayPort`, the Graph API at `graphUrl`.
 */
export const startChannelsServer = async (o: { databaseUrl?: string | undefined; now: NonNullable<AppOptions['now']>; relayPort?: number; graphUrl?: string; smtpTls?: { key: string; cert: string } }): Promise<TestServer & { smtpPort: number }> => {
  const s = await listenApp({
    databaseUrl: o.databaseUrl,
    rateLimit: { perSecond: 0, burst: 0 },
    deliveries: { intervalMs: 50, baseDelayMs: 30, maxAttempts: 3 },
    now: o.now,
    channels: {
      smtp: { port: 0, host: '127.0.0.1', ...o.smtpTls },
      ...(o.relayPort ? { relay: { host: '127.0.0.1', port: o.relayPort, secure: false, ignoreTLS: true } } : {}),
      ...(o.graphUrl ? { graphUrl: o.graphUrl } : {}),
    },
  });
  return { ...s, smtpPort: s.app.smtp!.port() };
};

/** A real SMTP server on loopback that keeps every mail it is given (the customer's mail provider). */
export const mailbox = async () => {
  const got: { envelopeTo: string[]; mail: ParsedMail; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        void simpleParser(raw).then((mail) => {
          got.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail, raw: raw.toString('utf8') });
          cb();
        });
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.server.address();
  return { port: typeof a === 'object' && a ? a.port : 0, got, close: () => new Promise<void>((r) => server.close(() => r())) };
};
