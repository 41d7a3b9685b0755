import { gunzipSync } from 'node:zlib';
import { ApiError } from './api-error.js';
import { checkJson } from './validate.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns a raw request body into JSON that has passed the input discipline
 * of `checkJson` (no NUL, no unpaired surrogate, finite numbers, bounded
 * depth) — every route's body goes through here. `gzip` bodies (from the browser's
 * CompressionStream) are inflated with a hard output cap, so a zip bomb costs
 * us `limit` bytes, not gigabytes.
 */
export function readJsonBody(raw: unknown, encoding: unknown, limit: number): unknown {
  if (raw === undefined || raw === null) throw new ApiError('invalid_json', 'The request has no body.');
  let buf = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw));
  if (encoding === 'gzip') {
    try {
      buf = gunzipSync(buf, { maxOutputLength: limit });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new ApiError('payload_too_large', `The inflated body is over ${limit} bytes.`);
      }
      throw new ApiError('invalid_json', 'The body is not valid gzip.');
    }
  } else if (encoding !== undefined) {
    throw new ApiError('invalid_body', 'The only supported `encoding` is `gzip`.', '');
  }
  if (buf.length > limit) throw new ApiError('payload_too_large', `The body is over ${limit} bytes.`);
  let text: string;
  try {
    // JSON is UTF-8 (RFC 8259): invalid bytes are refused, not silently made U+FFFD.
    text = utf8.decode(buf);
  } catch {
    throw new ApiError('invalid_json', 'The body is not valid UTF-8.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError('invalid_json', 'The body is not valid JSON.');
  }
  checkJson(value);
  return value;
}
