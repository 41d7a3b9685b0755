import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppOptions } from '../../server/app.js';
import { ensureAgents, removeAgent } from '../../server/agents.js';
import { onlineAgents } from '../../server/chat/online-agents.js';
import { STORES } from '../support/stores.js';
import { SseClient } from '../support/sse-client.js';
import { testClock } from '../support/clock.js';
import { until } from '../support/until.js';
import { agent, postJson, visitor } from '../support/chat-client.js';
import { listenApp, type TestServer } from '../support/start-server.js';
import { Presence } from '../../server/chat/presence.js';
import { openStore } from '../../server/store/open-store.js';
import type { Store } from '../../server/store/store.js';

const MINUTE = 60_000;

/** A server whose presence ticks and heartbeats every 20 ms: a move of the test's clock is seen at once, and live streams stay live across it. */
const presenceServer = (o: { databaseUrl?: string | undefined; now: NonNullable<AppOptions['now']> }): Promise<TestServer> =>
  listenApp({ databaseUrl: o.databaseUrl, rateLimit: { perSecond: 0, burst: 0 }, deliveries: false, retention: false, now: o.now, presence: { awayAfterMs: 5 * MINUTE, leaseMs: MINUTE, tickMs: 20, heartbeatMs: 20 }, channels: {} });

type Agents = { agents: { id: string; name: string; state: string }[] };

describe.each(STORES)('agent presence on $name', ({ databaseUrl }) => {
  const clock = testClock('2026-12-01T09:00:00.000Z');
  let s: TestServer;
  let olive: Awaited<ReturnType<typeof agent>>;
  let andy: Awaited<ReturnType<typeof agent>>;
  const streams: SseClient[] = [];
  const sse = (url: string, headers?: Record<string, string>) => {
    const c = new SseClient(url, headers);
    streams.push(c);
    return c;
  };
  const stateOf = async (name: string) => (await s.app.deps.presence.list()).find((a) => a.name === name)?.state;
  const report = (who: typeof olive, body: unknown) => postJson(`${s.url}/v1/agent/presence`, body, { cookie: who.cookie, 'content-type': 'application/json' });
  const lastPresence = (c: SseClient) => c.of<{ online: boolean }>('presence').at(-1)?.online;
  /** Time passes on the server's clock as it would: in steps shorter than the lease, each refreshed by the live streams' heartbeat. */
  const pass = async (ms: number, connection: string) => {
    for (let left = ms; left > 0; left -= 20_000) {
      clock.advance(Math.min(20_000, left));
      await until(async () => (await s.store.query('SELECT 1 FROM agent_connections WHERE id = $1 AND seen_at >= $2::timestamptz', [connection, clock.iso()])).rows.length > 0, 5_000, 10);
    }
  };
  const agentState = (c: SseClient, name: string) => c.of<Agents>('presence').at(-1)?.agents.find((a) => a.name === name)?.state;

  beforeAll(async () => {
    s = await presenceServer({ databaseUrl: await databaseUrl(), now: clock });
    await ensureAgents(s.store, 'olive@shop.test:olive-pass-1:Olive:owner;andy@shop.test:andy-pass-1:Andy:agent');
    olive = await agent(s.url, 'olive@shop.test', 'olive-pass-1');
    andy = await agent(s.url, 'andy@shop.test', 'andy-pass-1');
  }, 60_000);
  afterAll(async () => {
    streams.forEach((c) => c.close());
    await s?.close();
  });

  it('goes online with a console stream, away after the console has been hidden for the delay, back when shown, offline when the stream ends — and the visitor sees each change', async () => {
    const v = await visitor(s.url, 'anon-presence');
    const vs = sse(v.streamUrl());
    await vs.waitFor(() => lastPresence(vs) === false);
    expect(await stateOf('Olive')).toBe('offline');
    expect((await (await fetch(`${s.url}/v1/sites/demo/config`)).json()).chat.online).toBe(false);

    const os = sse(`${s.url}/v1/agent/stream`, olive.streamHeaders);
    await os.waitFor(() => os.of('ready').length === 1);
    const connection = os.of<{ connection: string }>('ready')[0]!.connection;
    expect(connection).toMatch(/^[0-9a-f-]{36}$/);
    await vs.waitFor(() => lastPresence(vs) === true);
    await os.waitFor(() => agentState(os, 'Olive') === 'online' && agentState(os, 'Andy') === 'offline');
    expect(await s.app.deps.presence.onlineAgents('demo')).toHaveLength(1);
    // Round-robin's seam reads the same inside a transaction.
    const oliveId = (await s.app.deps.presence.list()).find((a) => a.name === 'Olive')!.id;
    await until(async () => (await s.store.transaction((tx) => onlineAgents(tx, 'demo'))).join() === oliveId, 5_000, 20);

    // Hidden: still online until the delay has passed on the server's clock.
    expect((await report(olive, { connection, visible: false })).status).toBe(200);
    await pass(4 * MINUTE + 59_000, connection);
    await s.app.deps.presence.refresh();
    expect(await stateOf('Olive')).toBe('online');
    expect(lastPresence(vs)).toBe(true);
    clock.advance(1_000);
    await vs.waitFor(() => lastPresence(vs) === false);
    expect(await stateOf('Olive')).toBe('away');
    await os.waitFor(() => agentState(os, 'Olive') === 'away');
    expect(await s.app.deps.presence.onlineAgents('demo')).toEqual([]);
    expect(await s.store.transaction((tx) => onlineAgents(tx, 'demo'))).toEqual([]);
    // A visitor asking for a person now hears no one is there.
    const id = (await v.start('conv-presence', 'hello')).body.conversation.id;
    const handoff = await v.action(id, 'handoff');
    expect(handoff.body.events.at(-1).data).toMatchObject({ askEmail: true });

    // Shown again: online at once (hidden_since forgotten, so a later hide starts the delay anew).
    await report(olive, { connection, visible: true });
    await vs.waitFor(() => lastPresence(vs) === true);
    await report(olive, { connection, visible: false });
    await pass(MINUTE / 2, connection);
    await s.app.deps.presence.refresh();
    expect(await stateOf('Olive')).toBe('online');
    expect(lastPresence(vs)).toBe(true);
    await report(olive, { connection, visible: true });

    // Her own choice: away, then online.
    await report(olive, { choice: 'away' });
    await vs.waitFor(() => lastPresence(vs) === false);
    await report(olive, { choice: 'online' });
    await vs.waitFor(() => lastPresence(vs) === true);

    // The stream ends: offline at once, for everyone.
    os.close();
    await vs.waitFor(() => lastPresence(vs) === false);
    await until(async () => (await stateOf('Olive')) === 'offline', 5_000, 20);
    const seen = vs.of<{ online: boolean }>('presence').map((p) => p.online);
    // Each change once, never the same state twice in a row.
    expect(seen.every((x, i) => i === 0 || x !== seen[i - 1])).toBe(true);
  });

  it('ends a removed agent\'s open console stream at the next heartbeat and never counts them online again', async () => {
    await ensureAgents(s.store, 'rita@shop.test:rita-pass-1:Rita:agent');
    const rita = await agent(s.url, 'rita@shop.test', 'rita-pass-1');
    const rs = sse(`${s.url}/v1/agent/stream`, rita.streamHeaders);
    await rs.waitFor(() => rs.of('ready').length > 0);
    await until(async () => (await onlineAgents(s.store, 'demo')).length > 0 && (await stateOf('Rita')) === 'online', 5_000, 20);
    const ritaId = (await s.app.deps.presence.list()).find((a) => a.name === 'Rita')!.id;
    expect(await removeAgent(s.store, 'rita@shop.test')).toBe(true);
    // The stream heard every message and private note: it must not outlive the agent.
    await rs.waitFor(() => rs.ended);
    expect(await onlineAgents(s.store, 'demo')).not.toContain(ritaId);
    expect((await s.store.query('SELECT 1 FROM agent_presence WHERE agent_id = $1 UNION ALL SELECT 1 FROM agent_connections WHERE agent_id = $1', [ritaId])).rows).toEqual([]);
    expect(await new SseClient(`${s.url}/v1/agent/stream`, rita.streamHeaders).opened).toBe(401);
  });

  it('leaves no online connection when the console tab closed before its stream opened', async () => {
    const u = new URL(s.url);
    // The request sent, then the socket gone at once: the route is still checking the agent when the close arrives.
    const tab = connect(Number(u.port), u.hostname, () => {
      tab.end(`GET /v1/agent/stream HTTP/1.1\r\nHost: ${u.host}\r\nAccept: text/event-stream\r\nCookie: ${andy.cookie}\r\n\r\n`);
      tab.destroy();
    });
    await until(async () => (await s.store.query("SELECT 1 FROM agent_connections c JOIN agents a ON a.id = c.agent_id WHERE a.name = 'Andy'")).rows.length > 0, 5_000, 10).catch(() => {});
    // Whether or not the row was written before the close was heard, none stays, and Andy is not online.
    await until(async () => (await s.store.query("SELECT 1 FROM agent_connections c JOIN agents a ON a.id = c.agent_id WHERE a.name = 'Andy'")).rows.length === 0, 5_000, 20);
    await s.app.deps.presence.refresh();
    expect(await stateOf('Andy')).toBe('offline');
  });

  it('lets a connection lapse when its instance stops refreshing it (the lease), on the server\'s clock', async () => {
    // An instance that crashed with Andy's console on it: his row stays, and nobody refreshes it.
    const andyId = (await s.app.deps.presence.list()).find((a) => a.name === 'Andy')!.id;
    await s.store.query('INSERT INTO agent_connections (id, agent_id, seen_at) VALUES ($1, $2, $3)', ['crashed-instance-conn', andyId, clock.iso()]);
    await s.app.deps.presence.refresh();
    expect(await stateOf('Andy')).toBe('online');
    clock.advance(MINUTE - 1_000);
    await s.app.deps.presence.refresh();
    expect(await stateOf('Andy')).toBe('online');
    clock.advance(2_000);
    await until(async () => (await stateOf('Andy')) === 'offline', 5_000, 20);
  });

  it('refuses bad presence reports with documented errors and changes nothing', async () => {
    const os = sse(`${s.url}/v1/agent/stream`, olive.streamHeaders);
    await os.waitFor(() => os.of('ready').length === 1);
    const mine = os.of<{ connection: string }>('ready')[0]!.connection;
    const before = await s.app.deps.presence.list();
    expect((await postJson(`${s.url}/v1/agent/presence`, { choice: 'away' }, { 'content-type': 'application/json' })).status).toBe(401);
    expect((await fetch(`${s.url}/v1/agent/presence`)).status).toBe(401);
    expect((await postJson(`${s.url}/v1/agent/presence`, { choice: 'away' }, { cookie: 'tp_agent=forged.9999999999.abc', 'content-type': 'application/json' })).status).toBe(401);
    const bad: [unknown, string][] = [
      [{ visible: true }, '/connection'],
      [{ connection: mine }, '/visible'],
      [{}, '/choice'],
      [{ choice: 'busy' }, '/choice'],
      [{ choice: null }, '/choice'],
      [{ connection: 'x'.repeat(65), visible: true }, '/connection'],
      [{ connection: mine, visible: 'yes' }, '/visible'],
      [{ connection: mine, visible: false, admin: true }, '/admin'],
      [[{ choice: 'away' }], ''],
      ['away', ''],
    ];
    for (const [body, path] of bad) {
      const r = await report(olive, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error, JSON.stringify(body)).toMatchObject({ code: 'invalid_body', path });
    }
    const notJson = await fetch(`${s.url}/v1/agent/presence`, { method: 'POST', headers: { cookie: olive.cookie, 'content-type': 'application/json' }, body: '{"choice":' });
    expect(notJson.status).toBe(400);
    const lone = await fetch(`${s.url}/v1/agent/presence`, { method: 'POST', headers: { cookie: olive.cookie, 'content-type': 'application/json' }, body: '{"connection":"\\ud800","visible":true}' });
    expect(lone.status).toBe(400);
    // Another agent's connection, or an unknown one: not found, and it stays as it was.
    expect((await report(andy, { connection: mine, visible: false })).status).toBe(404);
    expect((await report(olive, { connection: 'no-such-connection', visible: false })).body.error.code).toBe('not_found');
    expect((await report(olive, { connection: "' OR 1=1 --", visible: false })).status).toBe(404);
    expect(await s.app.deps.presence.list()).toEqual(before);
    os.close();
  });
});

/** Across instances a change rides PostgreSQL's NOTIFY and the other instance's re-derivation: a loaded full run needs more than the 5 s default. */
const CROSS_MS = 20_000;

describe.skipIf(!process.env.TEST_DATABASE_URL)('presence across two instances on one PostgreSQL', () => {
  it('shows a visitor on one instance the agent who connects and leaves on the other', async () => {
    const clock = testClock('2026-12-01T09:00:00.000Z');
    const url = await STORES[1]!.databaseUrl();
    const a = await presenceServer({ databaseUrl: url, now: clock });
    const b = await presenceServer({ databaseUrl: url, now: clock });
    const streams: SseClient[] = [];
    try {
      await ensureAgents(a.store, 'olive@shop.test:olive-pass-1:Olive:owner');
      const olive = await agent(a.url, 'olive@shop.test', 'olive-pass-1');
      const v = await visitor(b.url, 'anon-two-instances');
      const vs = new SseClient(v.streamUrl());
      streams.push(vs);
      await vs.waitFor(() => vs.of('presence').length === 1, CROSS_MS);
      expect(vs.of('presence')[0]).toEqual({ online: false });
      const os = new SseClient(`${a.url}/v1/agent/stream`, olive.streamHeaders);
      streams.push(os);
      await vs.waitFor(() => vs.of<{ online: boolean }>('presence').at(-1)?.online === true, CROSS_MS);
      expect(await b.app.deps.presence.onlineAgents('demo')).toHaveLength(1);
      os.close();
      await vs.waitFor(() => vs.of<{ online: boolean }>('presence').at(-1)?.online === false, CROSS_MS);
    } finally {
      streams.forEach((c) => c.close());
      await a.close();
      await b.close();
    }
  }, 60_000);
});

describe('presence on a store slower than its tick', () => {
  it('joins the refreshes asked for while one waits, so stopping does not wait for a backlog', async () => {
    const store = await openStore({});
    let queries = 0;
    // Every statement takes 15 ms, as on a loaded machine; the tick asks every millisecond.
    const slow: Store = Object.assign(Object.create(store) as Store, {
      query: async (sql: string, params?: unknown[]) => {
        queries++;
        await new Promise((r) => setTimeout(r, 15));
        return store.query(sql, params);
      },
    });
    const log = { warn: () => {} } as unknown as ConstructorParameters<typeof Presence>[2];
    const presence = new Presence(slow, () => Date.parse('2026-12-01T09:00:00Z'), log, { tickMs: 1 });
    await presence.start();
    const calls = Array.from({ length: 50 }, () => presence.refresh());
    expect(new Set(calls.slice(1)).size).toBe(1);
    await until(async () => queries > 20, 5_000, 5);
    const before = queries;
    await presence.stop();
    // At most the refresh running and the one waiting (a few statements each); the old queue held hundreds.
    expect(queries - before).toBeLessThan(12);
    await store.close();
  }, 20_000);
});
