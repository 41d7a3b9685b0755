import Type, { type Static } from 'typebox';

/**
 * Every error code a backend may answer with. The table in docs/protocol.md is
 * generated from this object: add a code here, never in the doc.
 */
export const ERROR_CODES = {
  invalid_json: { status: 400, description: 'The body is not valid JSON (or not valid gzip when `encoding=gzip`).' },
  invalid_body: {
    status: 400,
    description: 'The body does not match the schema; `path` is the JSON Pointer of the first offending value.',
  },
  unsupported_protocol: { status: 400, description: 'The `protocol` version is not one this backend speaks.' },
  unknown_site: { status: 404, description: 'No site has this site key.' },
  origin_not_allowed: { status: 403, description: "The request's `Origin` is not in the site's allow-list." },
  invalid_token: {
    status: 401,
    description: 'The visitor token is missing, malformed, expired, or not bound to this visitor.',
  },
  invalid_signature: {
    status: 401,
    description: 'A server-to-server request (an inbound channel) lacks a valid `Touchpoint-Signature`, or its timestamp is over 5 minutes away.',
  },
  unknown_channel: { status: 404, description: 'The site has no inbound channel of this name.' },
  invalid_user_hash: {
    status: 403,
    description: '`userHash` is not the HMAC-SHA256 of `userId` with the site secret.',
  },
  forbidden: { status: 403, description: 'The caller may not read or write this resource (e.g. another visitor\'s conversation).' },
  not_found: { status: 404, description: 'The resource does not exist (or is not visible to the caller).' },
  payload_too_large: { status: 413, description: 'The body, an event or a replay chunk is over its limit; `path` names the item.' },
  unsupported_media_type: {
    status: 415,
    description: 'The body is neither `text/plain` nor `application/json` JSON; for an attachment, its bytes are not an image or a PDF, or not the type its `Content-Type` declares.',
  },
  file_rejected: { status: 422, description: 'The server\'s virus scanner refused the attachment (docs/deploy.md#attachments).' },
  rate_limited: { status: 429, description: 'Too many requests; retry after the `Retry-After` header (seconds).' },
  unauthorized: { status: 401, description: 'Console credentials are missing or wrong.' },
  method_not_allowed: { status: 405, description: 'The endpoint does not accept this HTTP method.' },
  request_timeout: { status: 408, description: 'The request (its headers or body) did not arrive in time; a client MAY retry.' },
  uri_too_long: { status: 414, description: 'A path segment or the URL is over its limit.' },
  headers_too_large: { status: 431, description: 'The request line and headers together are over 16 KB (a URL of that size included).' },
  unavailable: { status: 503, description: 'The backend is starting or stopping; retry later (a client MUST retry).' },
  internal: { status: 500, description: 'A fault of the backend, never of the request; a client MUST retry.' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ErrorBody = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String({ description: 'One of the codes in the error table.' }),
        message: Type.String({ description: 'A human-readable sentence in English; do not parse it.' }),
        path: Type.Optional(
          Type.String({ description: 'JSON Pointer (RFC 6901) into the request body of the offending value, if any.' }),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, $id: 'ErrorBody', description: 'The one shape of every error response.' },
);
export type ErrorBody = Static<typeof ErrorBody>;
