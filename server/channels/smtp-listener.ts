import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { Deps } from '../deps.js';
import { accountByAddress } from './channel-accounts.js';
import type { ChannelOptions } from './channel-options.js';
import { receiveMail, type InboundMail } from './inbound-mail.js';

/** A mail larger than this is refused at SMTP (552) before it is parsed. */
export const MAX_MAIL_BYTES = 10 * 1024 * 1024;

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });
const addresses = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => v.address ?? '')).filter(Boolean);

/** mailparser's result as the one shape the inbox takes (also built from inbound-parse webhooks). */
export const fromParsed = (p: ParsedMail, raw: Buffer, rcpt: string[]): InboundMail => ({
  from: { address: p.from?.value[0]?.address ?? '', name: p.from?.value[0]?.name || undefined },
  to: rcpt.length ? rcpt : [...addresses(p.to), ...addresses(p.cc)],
  subject: p.subject,
  messageId: p.messageId,
  inReplyTo: p.inReplyTo,
  references: Array.isArray(p.references) ? p.references : p.references ? [p.references] : [],
  text: p.text ?? '',
  headers: p.headers,
  attachments: p.attachments.map((x) => ({ filename: x.filename ?? '', contentType: x.contentType, size: x.size })),
  raw,
  date: p.date,
});

/**
 * The site's MX, or the hop after one: an SMTP listener (smtp-server) that
 * accepts mail only for support addresses configured in Channels (anything
 * else: 550 at RCPT TO, so we are no open relay), at most MAX_MAIL_BYTES
 * (552), without AUTH (senders are the world), with STARTTLS when a key and
 * certificate are given. A mail is answered 250 only after it is stored; a
 * failure to store is 451, so the sending server retries.
 */
export class SmtpListener {
  private readonly server: SMTPServer;

  constructor(
    private readonly deps: Deps,
    private readonly o: Exclude<ChannelOptions['smtp'], false | undefined>,
  ) {
    const tls = !!(o.key && o.cert);
    const max = o.maxBytes ?? MAX_MAIL_BYTES;
    this.server = new SMTPServer({
      banner: 'Touchpoint',
      logger: false,
      authOptional: true,
      disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      ...(tls ? { key: o.key, cert: o.cert } : {}),
      size: max,
      maxClients: 200,
      onRcptTo: (address, _session, cb) => {
        accountByAddress(this.deps.store, 'email', address.address).then(
          (a) => cb(a ? null : smtpError(550, `No mailbox ${address.address} here`)),
          () => cb(smtpError(451, 'Try again later')),
        );
      },
      onData: (stream: SMTPServerDataStream, session: SMTPServerSession, cb) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        stream.on('data', (c: Buffer) => {
          bytes += c.length;
          if (bytes <= max) chunks.push(c);
        });
        stream.on('end', () => {
          if (stream.sizeExceeded || bytes > max) return cb(smtpError(552, `Message exceeds the ${max} byte limit`));
          const raw = Buffer.concat(chunks);
          simpleParser(raw, { skipImageLinks: true })
            .then((p) => receiveMail(this.deps, fromParsed(p, raw, session.envelope.rcptTo.map((r) => r.address))))
            .then(
              () => cb(null, 'Stored'),
              (err: Error) => {
                this.deps.log.warn({ err }, 'inbound mail not stored');
                cb(smtpError(451, 'Could not store the message; try again later'));
              },
            );
        });
      },
    });
    this.server.on('error', (err) => this.deps.log.warn({ err }, 'SMTP listener error'));
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.server.once('error', reject);
      this.server.listen(this.o.port, this.o.host ?? '0.0.0.0', () => resolve());
    });
  }

  /** The port it listens on (the OS's choice when configured 0). */
  port(): number {
    const a = this.server.server.address();
    return typeof a === 'object' && a ? a.port : this.o.port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
