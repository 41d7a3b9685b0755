/**
 * The wire protocol, version 1: JSON Schemas (TypeBox) that are the single
 * source of the SDK's types, the server's validation and docs/protocol.md.
 *
 * Browser code imports only types from here (`import type`), never a schema.
 * @packageDocumentation
 */
export * from './constants.js';
export * from './scales.js';
export * from './error.js';
export * from './context.js';
export * from './event.js';
export * from './consent-record.js';
export * from './batch.js';
export * from './visitor.js';
export * from './site-config.js';
export * from './admin.js';
export * from './chat.js';
export * from './attachment.js';
export * from './survey.js';
export * from './help-rule.js';
export * from './help-rule-fired.js';
export * from './replay-chunk.js';
export * from './channel.js';
export * from './url.js';
export * from './date-time.js';
export * from './score.js';
export * from './backoff.js';
