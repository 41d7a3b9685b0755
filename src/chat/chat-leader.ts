import type { ChatEvent } from '../protocol/chat.js';

/** What tabs of one browser tell each other on the BroadcastChannel. */
export type TabMessage =
  | { t: 'ev'; e: ChatEvent }
  | { t: 'typing'; author: ChatEvent['author']; typing: boolean }
  | { t: 'presence'; online: boolean }
  | { t: 'reset' };

type Locks = LockManager | undefined;
const locks = (): Locks => (navigator as Navigator & { locks?: LockManager }).locks;

/**
 * One stream per browser: the tab holding a Web Lock leads (opens the
 * EventSource) and repeats every event to the other tabs on a
 * BroadcastChannel; the others queue for the lock, so when the leader's tab
 * closes the next one takes over at once. Without BroadcastChannel or Web
 * Locks (old Safari) every tab leads its own stream.
 */
export class ChatLeader {
  private __channel: BroadcastChannel | undefined;
  private __release: (() => void) | undefined;
  /** Joined (leading or queued for the lock); `leave()` ends it. */
  __joined = false;

  constructor(
    private readonly __name: string,
    onMessage: (m: TabMessage) => void,
  ) {
    try {
      this.__channel = new BroadcastChannel(__name);
      this.__channel.onmessage = (m: MessageEvent<TabMessage>) => onMessage(m.data);
    } catch {
      // No BroadcastChannel: nothing to tell, nothing to hear.
    }
  }

  __tell(m: TabMessage): void {
    try {
      this.__channel?.postMessage(m);
    } catch {
      // The channel closed: nothing to tell.
    }
  }

  /** Calls `lead` once this tab holds the lock; `false` from it (it could not lead) gives the lock back. */
  __join(lead: () => void): void {
    if (this.__joined) return;
    this.__joined = true;
    const l = locks();
    if (!l || !this.__channel) return lead();
    l.request(this.__name, () => new Promise<void>((release) => {
      this.__release = release;
      // Left while queued (reset): pass the lock on.
      if (this.__joined) lead();
      else release();
    })).catch(() => lead());
  }

  /** Stops leading or waiting: the next tab in line takes the lock. */
  __leave(): void {
    this.__joined = false;
    this.__release?.();
    this.__release = undefined;
  }

  /** Runs `fn` while no other tab of this browser runs it under the same name (at once without Web Locks). */
  __exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const l = locks();
    return l ? (l.request(`${this.__name}:${name}`, fn) as Promise<T>) : fn();
  }
}
