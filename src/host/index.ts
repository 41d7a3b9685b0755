/**
 * `touchpoint/host`: what the SDK gives every lazy feature and element — the
 * one typed interface between them. Elements and features import only this,
 * `touchpoint` and `touchpoint/protocol` (eslint.config.mjs enforces it),
 * never the SDK's files.
 * @packageDocumentation
 */
export type { Consent, ConsentMode, ConsentState, ConsentMeta, ConsentOptions } from '../core/consent.js';
export { createConsent } from '../core/consent.js';
export { pageContext } from '../core/page-context.js';
export { readStored, writeStored } from '../lib/storage.js';
export { siteConfig } from '../lib/site-config.js';
export { nextTask } from '../lib/next-task.js';
export { uuidv7 } from '../lib/uuidv7.js';
export { warn } from '../lib/warn.js';
export { startSurveys, type Surveys, type SurveysOptions, type ElementAnswer, type ShowContext } from '../survey/start-surveys.js';

export { hostOf, type Host, type HostItemKind } from './host-of.js';
export { sdkFor } from './sdk-for.js';
