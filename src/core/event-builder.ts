import type { Event } from '../protocol/event.js';
import { uuidv7 } from '../lib/uuidv7.js';
import type { Queued } from './call-queue.js';
import type { EventContext } from './event-context.js';
import type { Identity } from './identity.js';

/** Turns a queued call into its event (undefined for a method that makes none). */
export type EventBuilder = (call: Queued) => Event | undefined;

/**
 * The event factory. Calls are built in call order, so each event has
 * identity and session as they stand at that point: an identify() changes
 * who the calls after it are made by, never the ones before.
 */
export const createEventBuilder = (identity: Identity, context: EventContext): EventBuilder => ([method, args, timestamp, page]) => {
  const [a, b, c] = args as [string, Record<string, unknown> | string | undefined, { userHash?: string } | undefined];
  const common = () => ({ messageId: uuidv7(Date.parse(timestamp)), anonymousId: identity.anonymousId, userId: identity.user.userId ?? null, timestamp, context: context.__get(timestamp, page) });
  switch (method) {
    case 'page': {
      const ctx = common();
      // Segment's page properties mirror context.page (url, path, search, hash, title, referrer).
      return { type: 'page', name: a, properties: { ...ctx.context.page, ...(b as object | undefined) }, ...ctx };
    }
    case 'track':
      return { type: 'track', event: a, properties: (b as Record<string, unknown>) ?? {}, ...common() };
    case 'identify':
      identity.identify(a, b as Record<string, unknown>);
      return { type: 'identify', traits: identity.user.traits ?? {}, userHash: c?.userHash, ...common() };
    case 'alias': {
      const previousId = (b as string | undefined) ?? identity.user.userId ?? identity.anonymousId;
      identity.identify(a);
      return { type: 'alias', previousId, userHash: c?.userHash, ...common(), userId: a };
    }
    case 'group':
      return { type: 'group', groupId: a, traits: (b as Record<string, unknown>) ?? {}, ...common() };
  }
};
