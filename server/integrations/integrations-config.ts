import type { Site } from '../sites.js';

/** A Segment-compatible HTTP destination: every accepted event, unchanged, to `{url}/v1/batch`. */
export interface ForwardTarget {
  url: string;
  writeKey: string;
}

/** What a webhook subscribes to: exact types, or a prefix ending in `*` (`conversation.*`). */
export interface WebhookTarget {
  url: string;
  /** HMAC-SHA256 key for the `Touchpoint-Signature` header. */
  secret: string;
  events: string[];
}

/** Another channel (email, a messaging bridge) whose customers' messages land in the inbox. */
export interface ChannelConfig {
  /** Shared with the bridge: it signs what it posts, and we sign the agents' replies we send it. */
  secret: string;
  /** Where agents' replies go (a signed webhook of type `conversation.reply`). */
  replyUrl: string;
}

export interface Integrations {
  forward: ForwardTarget[];
  webhooks: WebhookTarget[];
  channels: Record<string, ChannelConfig>;
}

/**
 * A site's integrations, from its config (`integrations` in the site file).
 * Server-side only: the public site config never includes them.
 */
export const integrationsOf = (site: Pick<Site, 'config'> | undefined): Integrations => {
  const i = (site?.config.integrations ?? {}) as Partial<Integrations>;
  return { forward: i.forward ?? [], webhooks: i.webhooks ?? [], channels: i.channels ?? {} };
};

export const subscribed = (w: WebhookTarget, type: string): boolean =>
  w.events.some((e) => e === type || e === '*' || (e.endsWith('.*') && type.startsWith(e.slice(0, -1))));
