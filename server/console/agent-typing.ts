import { api } from './api.js';

/** While the agent keeps typing, the visitor is told again this often; this long without a key, they stop (ms). */
const REPEAT = 4_000;
const IDLE = 3_000;

let current: { id: string; sentAt: number; idle: ReturnType<typeof setTimeout> } | undefined;

const send = (id: string, typing: boolean) => void api(`/conversations/${encodeURIComponent(id)}/typing`, { typing }).catch(() => {});

/**
 * The agent typed in conversation `id`'s composer: the visitor sees "… is
 * typing" (#22). Debounced — one request when typing starts, one every 4 s
 * while it goes on, one "stopped" after 3 s without a key (or when another
 * conversation is chosen).
 */
export const agentTyping = (id: string): void => {
  if (current && current.id !== id) agentStoppedTyping();
  const now = Date.now();
  if (!current || now - current.sentAt >= REPEAT) {
    send(id, true);
    if (current) current.sentAt = now;
  }
  clearTimeout(current?.idle);
  current = { id, sentAt: current?.sentAt ?? now, idle: setTimeout(agentStoppedTyping, IDLE) };
};

/** The agent sent the message or left the conversation: no longer typing. */
export const agentStoppedTyping = (): void => {
  if (!current) return;
  clearTimeout(current.idle);
  send(current.id, false);
  current = undefined;
};
