import type { OutboxItem } from '../core/outbox.js';
import type { Touchpoint } from '../types.js';

/** Queues `body` in the durable outbox under `kind`, only with `analytics` consent. */
export type HostSend = (kind: OutboxItem['kind'], body: unknown) => void;

/**
 * Each browser SDK's send path, beside it rather than on it: the SDK object
 * carries only its public API, and a feature reaches the outbox only through
 * its typed Host (hostOf). Its own module, so that the core bundle, which
 * fills it, does not take hostOf along.
 */
export const hostSends = new WeakMap<Touchpoint, HostSend>();
