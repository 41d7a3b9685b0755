import { simpleParser } from 'mailparser';

/** One file a customer mailed, as its original message holds it. */
export interface MailAttachment {
  filename: string;
  /** What the sender's mail client declared: shown, never served (see sniffType). */
  declaredType: string;
  content: Buffer;
}

/**
 * The attachments of a stored inbound mail, from its original bytes
 * (`channel_messages.raw`): an RFC 822 message as SMTP delivered it, or the
 * inbound-parse webhook's JSON (Postmark: `Attachments[].Content`, base64).
 * The raw message is the attachment store for mail: nothing is copied, so
 * erasure and retention, which delete the raw row, delete the files with it.
 * Same order as `data.email.attachments` (the parsers' order).
 */
export async function mailAttachments(raw: Buffer): Promise<MailAttachment[]> {
  const head = raw.subarray(0, 64).toString('utf8').trimStart();
  if (head.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return [];
    }
    const list = (json as { Attachments?: unknown }).Attachments;
    return (Array.isArray(list) ? list : []).map((x: Record<string, unknown>) => ({
      filename: typeof x.Name === 'string' ? x.Name : '',
      declaredType: typeof x.ContentType === 'string' ? x.ContentType : 'application/octet-stream',
      content: typeof x.Content === 'string' ? Buffer.from(x.Content, 'base64') : Buffer.alloc(0),
    }));
  }
  const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  return mail.attachments.map((x) => ({ filename: x.filename ?? '', declaredType: x.contentType, content: x.content }));
}

/** Types we recognise by their first bytes, and show inline: what an agent previews. */
const SIGNATURES: [type: string, test: (b: Buffer) => boolean][] = [
  ['image/png', (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
  ['image/jpeg', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['image/gif', (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1'))],
  ['image/webp', (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP'],
  ['application/pdf', (b) => b.subarray(0, 5).toString('latin1') === '%PDF-'],
];

/**
 * The type a file really is, by its content — never the sender's word: a
 * "picture" declared `image/png` that is HTML would run as a page of the
 * console's origin if served as declared. Unrecognised: undefined (served as
 * `application/octet-stream`, as a download).
 */
export const sniffType = (b: Buffer): string | undefined => SIGNATURES.find(([, test]) => test(b))?.[0];
