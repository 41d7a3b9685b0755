import type { ChatEvent } from '../protocol/chat.js';

/** Messages from others after the visitor's last read receipt or message: derived from the events, so the same in every tab. */
export const unreadCount = (events: ChatEvent[]): number => {
  let n = 0;
  for (const e of events) {
    if (e.author.kind === 'visitor' && (e.kind === 'message' || e.kind === 'read')) n = 0;
    else if (e.kind === 'message' && e.author.kind !== 'system') n++;
  }
  return n;
};
