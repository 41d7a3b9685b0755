import { spawn } from 'node:child_process';
import { ATTACHMENT_TYPES, LIMITS, type AttachmentType } from 'touchpoint/protocol';
import { ApiError } from '../lib/api-error.js';
import { sniffType } from '../channels/mail-attachments.js';

/** A file that passed every check, ready to be stored. */
export interface AcceptedFile {
  bytes: Buffer;
  filename: string;
  contentType: AttachmentType;
}

/**
 * The virus-scan hook (docs/deploy.md#attachments): called with every file
 * before it is accepted; resolve to accept, reject with a reason to refuse
 * (`422 file_rejected`). Throwing anything else refuses the upload as
 * `unavailable`: a scanner that is down never lets a file through.
 */
export type ScanFile = (bytes: Buffer, o: { filename: string; contentType: string }) => Promise<void>;

/** Thrown by a scanner that refuses a file. */
export class FileRejected extends Error {}

/**
 * `TOUCHPOINT_SCAN_COMMAND` as a scanner: the command (run by the shell) gets
 * the file on stdin; exit 0 accepts, exit 1 refuses (ClamAV's `clamdscan -`
 * convention), anything else is a scanner fault.
 */
export const commandScanner =
  (command: string): ScanFile =>
  (bytes) =>
    new Promise((resolve, reject) => {
      const child = spawn(command, { shell: true, stdio: ['pipe', 'ignore', 'ignore'] });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(code === 1 ? new FileRejected('The virus scanner refused the file.') : new Error(`scanner exited ${code}`))));
      child.stdin.on('error', () => {});
      child.stdin.end(bytes);
    });

/**
 * An upload whose `Content-Length` is over the limit, refused from its headers
 * alone (the upload routes' `onRequest`): nothing of its body is kept.
 */
export const refuseDeclaredOversize = (contentLength: string | undefined): void => {
  if (contentLength !== undefined && Number(contentLength) > LIMITS.attachmentBytes) throw new ApiError('payload_too_large', `Attachments are at most ${LIMITS.attachmentBytes} bytes; this one says it is ${contentLength}.`, '');
};

const ALIASES: Record<string, string> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg' };
// Bidi controls and C0/C1 controls never belong in a file name: shown, they spoof its extension (invoice_\u202Efdp.exe).
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const SPOOF = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The checks every upload passes, in the order that answers a client's
 * mistake most precisely: something at all, within the limit, a type we
 * serve (by its bytes), the type it declared, a name we can store, and the
 * scanner's word. A declared size over the limit was refused before the body
 * was read (`refuseDeclaredOversize`), a chunked one by Fastify's `bodyLimit`
 * as it streamed in; this only sees bodies within it.
 */
export async function acceptUpload(body: unknown, declared: string | undefined, name: string, scan?: ScanFile): Promise<AcceptedFile> {
  if (!Buffer.isBuffer(body) || body.length === 0) throw new ApiError('invalid_body', 'The body must be the file\'s bytes: it is empty.', '');
  if (body.length > LIMITS.attachmentBytes) throw new ApiError('payload_too_large', `Attachments are at most ${LIMITS.attachmentBytes} bytes.`, '');
  const sniffed = sniffType(body);
  if (!sniffed || !(ATTACHMENT_TYPES as readonly string[]).includes(sniffed)) throw new ApiError('unsupported_media_type', `Attachments are images (${ATTACHMENT_TYPES.slice(0, 4).join(', ')}) or PDFs, by their bytes; this file is neither.`);
  const said = (declared ?? '').split(';')[0]!.trim().toLowerCase();
  if (said !== 'application/octet-stream' && (ALIASES[said] ?? said) !== sniffed) throw new ApiError('unsupported_media_type', `The file was declared ${said || 'without a type'}, but its bytes are ${sniffed}.`);
  const filename = name.replace(SPOOF, '').trim().slice(0, 255);
  if (!filename) throw new ApiError('invalid_body', '?name: the file name is empty once control characters are removed', '?name');
  if (scan) {
    try {
      await scan(body, { filename, contentType: sniffed });
    } catch (e) {
      if (e instanceof FileRejected) throw new ApiError('file_rejected', e.message);
      throw new ApiError('unavailable', 'The attachment scanner is unavailable; retry later.', undefined, { 'retry-after': '30' });
    }
  }
  return { bytes: body, filename, contentType: sniffed as AttachmentType };
}
