import type { Visitor } from './chat-store.js';

/**
 * A customer writing through another channel (an email address, a messaging
 * handle) is a visitor whose anonymous id is `{channel}:{externalId}`: their
 * messages thread into one conversation, and they never share an id space
 * with web visitors.
 */
export const channelVisitor = (siteKey: string, channel: string, externalId: string): Visitor => ({ siteKey, anonymousId: `${channel}:${externalId}` });

export const externalIdOf = (c: { channel: string; anonymous_id: string }): string => c.anonymous_id.slice(c.channel.length + 1);
