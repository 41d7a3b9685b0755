import nodemailer, { type Transporter } from 'nodemailer';
import type { SendResult } from '../integrations/delivery-worker.js';
import type { ChannelAccount } from './channel-accounts.js';
import type { MailReply } from './channel-outbound.js';

/** A file a reply carries: its stored bytes under the name and type the agent uploaded. */
export type MailFile = { filename: string; content: Uint8Array; contentType: string };

/** One pooled transport per relay configuration. */
export const mailTransport = (relay: string | Record<string, unknown>): Transporter => nodemailer.createTransport(relay as Parameters<typeof nodemailer.createTransport>[0]);

/**
 * An agent's reply as a mail the customer's client threads: our Message-ID,
 * In-Reply-To the message answered, References the chain, "Re: " the subject,
 * From the support address, the agent's files attached. SMTP answers map to the delivery worker's terms:
 * 4xx and connection failures are retried, 5xx is final.
 */
export async function sendMail(transport: Transporter, a: ChannelAccount, r: MailReply, files: MailFile[] = []): Promise<SendResult> {
  try {
    await transport.sendMail({
      from: { name: a.settings.fromName || a.name || a.address, address: a.address },
      to: r.to,
      subject: r.subject,
      text: r.text,
      messageId: r.messageId,
      ...(r.inReplyTo ? { inReplyTo: r.inReplyTo } : {}),
      references: r.references,
      ...(files.length ? { attachments: files.map((f) => ({ filename: f.filename, content: Buffer.from(f.content), contentType: f.contentType })) } : {}),
    });
    return { status: 200 };
  } catch (e) {
    const err = e as Error & { responseCode?: number };
    const code = err.responseCode ?? 0;
    return { status: code >= 500 ? 422 : code >= 400 ? 503 : 0, error: `SMTP ${code || ''} ${err.message}`.replace(/\s+/g, ' ').trim().slice(0, 500) };
  }
}
