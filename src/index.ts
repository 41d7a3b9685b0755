/**
 * Touchpoint's tracking SDK: `createTouchpoint()` and its types.
 * Framework-free and safe to import during server rendering.
 * @packageDocumentation
 */
export { createTouchpoint } from './create-touchpoint.js';
export { classifyChannel } from './core/classify-channel.js';
export { touchFromUrl } from './core/touch-from-url.js';
export type { Consent, ConsentMode, ConsentOptions, ConsentState } from './core/consent.js';
export type * from './types.js';
export type { Touch, Channel, Context } from './protocol/context.js';
export type { ConsentRecord } from './protocol/consent-record.js';
