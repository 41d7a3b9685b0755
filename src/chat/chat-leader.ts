import type { ChatEvent } from '../protocol/chat.js';

/** What tabs of one browser tell each other on the BroadcastChannel. */
export type TabMessage =
  | { t: 'ev'; e: ChatEvent }
  | { t: 'typing'; author: ChatEvent['author']; typing: boolean }
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
  private channel: BroadcastChannel | undefined;
  private release: (() => void) | undefined;
  /** Joined (leading or queued for the lock); `leave()` ends it. */
  joined = false;

  constructor(
    private readonly name: string,
    onMessage: (m: TabMessage) => void,
  ) {
    try {
      this.channel = new BroadcastChannel(name);
      this.channel.onmessage = (m: MessageEvent<TabMessage>) => onMessage(m.data);
    } catch {
      // No BroadcastChannel: nothing to tell, nothing to hear.
    }
  }

  tell(m: TabMessage): void {
    try {
      this.channel?.postMessage(m);
    } catch {
      // The channel closed: nothing to tell.
    }
  }

  /** Calls `lead` once this tab holds the lock; `false` from it (it could not lead) gives the lock back. */
  join(lead: () => void): void {
    if (this.joined) return;
    this.joined = true;
    const l = locks();
    if (!l || !this.channel) return lead();
    l.request(this.name, () => new Promise<void>((release) => {
      this.release = release;
      // Left while queued (reset): pass the lock on.
      if (this.joined) lead();
      else release();
    })).catch(() => lead());
  }

  /** Stops leading or waiting: the next tab in line takes the lock. */
  leave(): void {
    this.joined = false;
    this.release?.();
    this.release = undefined;
  }

  /** Runs `fn` while no other tab of this browser runs it under the same name (at once without Web Locks). */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const l = locks();
    return l ? (l.request(`${this.name}:${name}`, fn) as Promise<T>) : fn();
  }
}
