/**
 * What a chat attachment may be, by its bytes (never by what the sender
 * declares): images a browser shows inline, and PDFs, which are downloaded.
 * Apart from the schemas (attachment.ts) so that an element reading these
 * carries no schema code.
 */
export const ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** Largest chat attachment, in bytes: 10 MiB (`LIMITS.attachmentBytes`). */
export const ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** Longest side of an image attachment's thumbnail, in pixels (`ChatThumbnail`). */
export const THUMBNAIL_SIDE = 320;
