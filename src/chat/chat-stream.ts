import type { ChatEvent } from '../protocol/chat.js';

export interface ChatStreamHandlers {
  chat(e: ChatEvent): void;
  typing(t: { author: ChatEvent['author']; typing: boolean }): void;
  /** Whether a person can answer now: after `ready` and on every change. */
  presence(p: { online: boolean }): void;
}

/**
 * The visitor's EventSource (`GET /v1/chat/stream`). Its automatic
 * `Last-Event-ID` makes the server send exactly what a reconnect missed.
 */
export const openChatStream = (url: string, on: ChatStreamHandlers): EventSource => {
  const es = new EventSource(url);
  es.addEventListener('chat', (m) => on.chat(JSON.parse((m as MessageEvent<string>).data) as ChatEvent));
  es.addEventListener('typing', (m) => on.typing(JSON.parse((m as MessageEvent<string>).data) as { author: ChatEvent['author']; typing: boolean }));
  es.addEventListener('presence', (m) => on.presence(JSON.parse((m as MessageEvent<string>).data) as { online: boolean }));
  return es;
};

/**
 * Where a stream resumes: the last seq up to which this tab has every event
 * (seqs are 1, 2, 3… without gaps, docs/protocol.md §10). Not the highest
 * seq seen: a POST's answer can bring seq 8 while seq 7 was still on its way
 * through the leader tab that just closed.
 */
export const contiguousSeq = (sorted: ChatEvent[]): number => {
  let n = 0;
  for (const e of sorted) if (e.seq === n + 1) n = e.seq;
  return n;
};
