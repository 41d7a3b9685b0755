/**
 * Protocol facts the browser needs at run time. Kept apart from the schemas so
 * that importing them never pulls TypeBox into the SDK bundle.
 */

/** Version of the wire protocol; sent as `protocol` in every request body. */
export const PROTOCOL_VERSION = 1;

/** Path prefix of every endpoint of this protocol version. */
export const API_PREFIX = '/v1';

/**
 * Default limits. A backend MAY raise them; the SDK keeps under the defaults so
 * that it works with any conforming backend.
 */
export const LIMITS = {
  /** Largest serialised event, in bytes (Segment uses the same figure). */
  eventBytes: 32 * 1024,
  /** Largest request body (after decompression) of a batch, in bytes. */
  batchBytes: 500 * 1024,
  /** Largest replay chunk, in bytes (compressed, as sent). */
  replayChunkBytes: 1024 * 1024,
  /** Largest number of items in one batch. */
  batchItems: 500,
} as const;
