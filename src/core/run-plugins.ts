import type { Event } from '../protocol/event.js';
import type { Emitter } from '../lib/emitter.js';
import type { Plugin, TouchpointEvents, TouchpointOptions } from '../types.js';

/**
 * An event through Segment's plugin stages, in order: `before` may cancel,
 * `enrichment` may change, then `beforeSend` has the last look; `destination`
 * plugins only receive, never awaited (a slow destination never holds the
 * outbox up). Resolves to the event to store, or undefined when one dropped it.
 */
export const runPlugins = async (event: Event | null, plugins: Plugin[], beforeSend: TouchpointOptions['beforeSend'], events: Emitter<TouchpointEvents>): Promise<Event | undefined> => {
  for (const stage of ['before', 'enrichment'] as const) {
    for (const p of plugins) if (p.stage === stage && event) event = (await p.run(event)) ?? null;
  }
  if (event && beforeSend) event = beforeSend(event);
  if (!event) return;
  events.emit('event', event);
  for (const p of plugins) if (p.stage === 'destination') Promise.resolve(p.run(event)).catch(() => {});
  return event;
};
