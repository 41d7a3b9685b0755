import { LIMITS } from './constants.js';

/**
 * What a chat attachment may be, by its bytes (never by what the sender
 * declares): images a browser shows inline, and PDFs, which are downloaded.
 * Apart from the schemas (attachment.ts) so that an element reading these
 * carries no schema code.
 */
export const ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/**
 * Largest chat attachment, in bytes: 10 MiB. Defined in `LIMITS` and read
 * from there, not the other way round: the core imports `LIMITS`, and a core
 * importing this module carried the list of types above in its 6 KB too.
 */
export const ATTACHMENT_BYTES = LIMITS.attachmentBytes;

/** Longest side of an image attachment's thumbnail, in pixels (`ChatThumbnail`). */
export const THUMBNAIL_SIDE = 320;
