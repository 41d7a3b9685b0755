/** The host of an SDK instance: the interface every lazy feature and element gets (re-exported by `touchpoint/host`). */
import type { Consent } from '../core/consent.js';
import type { OutboxItem } from '../core/outbox.js';
import type { Touchpoint } from '../types.js';
import { hostSends } from './host-registry.js';

/** What a feature may put in the outbox: the batch field it travels in. */
export type HostItemKind = OutboxItem['kind'];

/** The SDK as a feature or element sees it. */
export interface Host {
  /** The consent engine: features read it, never keep their own. */
  readonly consent: Consent;
  readonly anonymousId: string;
  readonly sessionId: string | undefined;
  readonly siteKey: string;
  /** Backend base URL, without a trailing slash. */
  readonly endpoint: string;
  /** Queues `body` in the durable outbox under `kind`, only with `analytics` consent (survey answers). */
  send(kind: HostItemKind, body: unknown): void;
  /** A call as if the page made it (`track`, `page`…), typed like the SDK's own methods. */
  call<M extends 'page' | 'track' | 'identify' | 'alias' | 'group'>(method: M, ...args: Parameters<Touchpoint[M]>): void;
  on: Touchpoint['on'];
  /** The SDK instance itself, for what the host does not cover. */
  readonly sdk: Touchpoint;
}

/**
 * The host of an SDK instance. `siteKey` and `endpoint` come from the
 * feature's options (the script tag passes its own); `endpoint` defaults to
 * the page's origin.
 */
export const hostOf = (sdk: Touchpoint, o: { siteKey?: string | undefined; endpoint?: string | undefined } = {}): Host => ({
  get consent() {
    return sdk.consent;
  },
  get anonymousId() {
    return sdk.anonymousId;
  },
  get sessionId() {
    return sdk.sessionId;
  },
  siteKey: o.siteKey ?? '',
  endpoint: (o.endpoint ?? location.origin).replace(/\/$/, ''),
  // The browser SDK registers its send path (host-registry.ts); the no-op SDK has none.
  send: (kind, body) => hostSends.get(sdk)?.(kind, body),
  call: (method, ...args) => (sdk[method] as (...a: unknown[]) => void)(...args),
  on: (name, fn) => sdk.on(name, fn),
  sdk,
});
