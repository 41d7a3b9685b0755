import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../store/store.js';
import type { Clock } from '../lib/clock.js';
import {
  deleteConnection,
  deleteStaleConnections,
  insertConnection,
  presenceAt,
  setChoice,
  setConnectionVisible,
  storeStates,
  touchConnection,
  type AgentPresence,
  type PresenceState,
} from '../repositories/agent-presence.js';

export type { AgentPresence, PresenceState };

export interface PresenceOptions {
  /** A console hidden this long makes its agent away (default 5 min). */
  awayAfterMs?: number;
  /** A connection not refreshed for this long is gone — its instance died (default 60 s). */
  leaseMs?: number;
  /** How often each open stream refreshes its connection (default 20 s, real time). */
  heartbeatMs?: number;
  /** How often an instance re-derives presence to see timeouts happen (default 5 s, real time). */
  tickMs?: number;
}

/** Tells every instance that presence may have changed; each re-reads it from the store. */
export const PRESENCE_CHANNEL = 'tp_presence';

/**
 * Agents' presence across instances. The store holds the facts (open
 * connections with their heartbeat and visibility, each agent's choice); the
 * state is derived from them at the server clock's `now` whenever it is read,
 * so every instance derives the same one. A change anywhere is a NOTIFY; a
 * tick catches what only time changes (the away delay, a dead instance's
 * lease). Watchers — agents' consoles, visitors' chat streams — hear a change once.
 */
export class Presence {
  private readonly o: Required<PresenceOptions>;
  private last: AgentPresence[] | undefined;
  private readonly agentWatchers = new Set<(agents: AgentPresence[]) => void>();
  private readonly siteWatchers = new Set<{ site: string; fn: (online: boolean) => void; online?: boolean }>();
  private refreshing: Promise<void> = Promise.resolve();
  /** The refresh waiting for the one running: every call meanwhile joins it. */
  private queued: Promise<void> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly store: Store,
    private readonly now: Clock,
    private readonly log: FastifyBaseLogger,
    o: PresenceOptions = {},
  ) {
    this.o = { awayAfterMs: 5 * 60_000, leaseMs: 60_000, heartbeatMs: 20_000, tickMs: 5_000, ...o };
  }

  async start(): Promise<void> {
    this.unlisten = await this.store.listen(PRESENCE_CHANNEL, () => void this.refresh());
    this.timer = setInterval(() => void this.refresh(), this.o.tickMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.unlisten?.();
    await this.refreshing;
  }

  private iso(offsetMs = 0): string {
    return new Date(this.now() + offsetMs).toISOString();
  }

  /** Every agent's state now. */
  list(): Promise<AgentPresence[]> {
    return presenceAt(this.store, this.iso(-this.o.leaseMs), this.iso(-this.o.awayAfterMs));
  }

  /**
   * The ids of the agents online now, for assignment. The reference server
   * has one team for all its sites, so `site` does not narrow it (yet).
   */
  async onlineAgents(_site?: string): Promise<string[]> {
    return (await this.list()).filter((a) => a.state === 'online').map((a) => a.id);
  }

  /** Whether someone can answer a visitor of `site` now: an agent online (away does not count). */
  async anyOnline(site?: string): Promise<boolean> {
    return (await this.onlineAgents(site)).length > 0;
  }

  /**
   * A console stream opened: a connection row kept fresh by a heartbeat.
   * Returns its id and the function that ends it (the stream closed).
   */
  async connect(agentId: string, onGone: () => void = () => {}): Promise<{ id: string; end: () => Promise<void> }> {
    const id = randomUUID();
    await insertConnection(this.store, id, agentId, this.iso());
    // A removed agent's connection is gone at the next beat: `onGone` ends their stream, which heard every message and note.
    // One beat in flight at a time: a store slower than the beat would otherwise queue beats without end.
    let beating = false;
    const beat = setInterval(() => {
      if (beating) return;
      beating = true;
      void touchConnection(this.store, id, this.iso())
        .then(
          (live) => live || onGone(),
          (err) => this.log.warn({ err }, 'presence heartbeat failed'),
        )
        .finally(() => (beating = false));
    }, this.o.heartbeatMs);
    beat.unref?.();
    await this.changed();
    let ended = false;
    return {
      id,
      end: async () => {
        if (ended) return;
        ended = true;
        clearInterval(beat);
        await deleteConnection(this.store, id);
        await this.changed();
      },
    };
  }

  /** The console says whether its tab shows; false when `connection` is not one of this agent's. */
  async setVisible(agentId: string, connection: string, visible: boolean): Promise<boolean> {
    const ok = await setConnectionVisible(this.store, connection, agentId, visible, this.iso());
    if (ok) await this.changed();
    return ok;
  }

  /** The agent sets themself away (no new work, visitors see no one) or back online. */
  async choose(agentId: string, choice: 'online' | 'away'): Promise<void> {
    await setChoice(this.store, agentId, choice, this.iso());
    await this.changed();
  }

  /** Calls `fn` with every agent's presence now and whenever it changes. Returns the remover. */
  watchAgents(fn: (agents: AgentPresence[]) => void): () => void {
    this.agentWatchers.add(fn);
    void this.list().then((l) => this.agentWatchers.has(fn) && fn(l), () => {});
    return () => this.agentWatchers.delete(fn);
  }

  /** Calls `fn` with whether someone is online for `site` now and whenever that changes. Returns the remover. */
  watchSite(site: string, fn: (online: boolean) => void): () => void {
    const w: { site: string; fn: (online: boolean) => void; online?: boolean } = { site, fn };
    this.siteWatchers.add(w);
    void this.anyOnline(site).then(
      (online) => {
        if (!this.siteWatchers.has(w) || w.online !== undefined) return;
        w.online = online;
        fn(online);
      },
      () => {},
    );
    return () => this.siteWatchers.delete(w);
  }

  /** Tells the other instances, and re-derives here before answering: this instance's callers see their own change at once. */
  private async changed(): Promise<void> {
    await this.store.notify(PRESENCE_CHANNEL, '').catch((err) => this.log.warn({ err }, 'presence notify failed'));
    await this.refresh();
  }

  /**
   * Re-derives presence and tells watchers what changed; serialised, so
   * watchers hear changes in order. Calls made while one refresh waits to
   * start share it (it reads the store after all of them): a tick faster than
   * the store answers under load queued refreshes without end, and `stop()`,
   * awaiting the last, hung.
   */
  refresh(): Promise<void> {
    if (this.queued) return this.queued;
    const run = this.refreshing.then(async () => {
      this.queued = undefined;
      try {
        const now = await this.list();
        const same = this.last && JSON.stringify(this.last) === JSON.stringify(now);
        const before = new Map(this.last?.map((a) => [a.id, a.state]));
        this.last = now;
        await storeStates(this.store, now.filter((a) => before.get(a.id) !== a.state), this.iso());
        if (!same) for (const fn of this.agentWatchers) fn(now);
        const online = now.some((a) => a.state === 'online');
        for (const w of this.siteWatchers) {
          if (w.online === online) continue;
          w.online = online;
          w.fn(online);
        }
        await deleteStaleConnections(this.store, this.iso(-10 * this.o.leaseMs));
      } catch (err) {
        this.log.warn({ err }, 'presence refresh failed');
      }
    });
    this.queued = this.refreshing = run;
    return run;
  }
}
