import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../server/store/postgres-store.js';
import { MISSED, type Store } from '../../server/store/store.js';
import { CHAT_CHANNEL } from '../../server/chat/chat-hub.js';
import { appendEvent } from '../../server/chat/chat-store.js';
import { STORES } from '../support/stores.js';
import { until } from '../support/until.js';
import { SseClient } from '../support/sse-client.js';
import { visitor } from '../support/chat-client.js';
import { startServer, type TestServer } from '../support/start-server.js';

const postgres = STORES.find((s) => s.name === 'PostgreSQL');

describe.skipIf(!postgres)('LISTEN on PostgreSQL', () => {
  let store: Store;
  beforeAll(async () => {
    store = await createPostgresStore((await postgres!.databaseUrl())!);
  }, 60_000);
  afterAll(() => store?.close());

  /** The backends holding LISTEN for this store's database (the listening connection's last statement). */
  const listeners = async () =>
    (await store.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()")).rows.map((r) => r.pid);

  it('survives its connection being killed: it listens again, says notifications may have been missed, and hears the next NOTIFY', async () => {
    const got: string[] = [];
    const other: string[] = [];
    await store.listen('tp_test_a', (p) => got.push(p));
    await store.listen('tp_test_b', (p) => other.push(p));
    await store.notify('tp_test_a', 'before');
    await until(() => got.includes('before'), 10_000, 20);

    const pids = await listeners();
    expect(pids).toHaveLength(1);
    await store.query('SELECT pg_terminate_backend($1)', [pids[0]]);
    // Back, on a new backend, with every channel listened to again — and every listener told to refresh.
    await until(() => got.includes(MISSED) && other.includes(MISSED), 20_000, 20);
    const again = await listeners();
    expect(again).toHaveLength(1);
    expect(again[0]).not.toBe(pids[0]);
    await store.notify('tp_test_a', 'after');
    await store.notify('tp_test_b', 'after too');
    await until(() => got.includes('after') && other.includes('after too'), 10_000, 20);
    expect(got).toEqual(['before', MISSED, 'after']);
  });
});

describe.each(STORES)('the chat hub after missed signals on $name', ({ databaseUrl }) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ databaseUrl: await databaseUrl() });
  }, 60_000);
  afterAll(() => s?.close());

  it('pulls what a stream missed when the store says notifications were lost, and nothing twice', async () => {
    const v = await visitor(s.url, 'anon-missed');
    const id = (await v.start('conv-missed', 'hello')).body.conversation.id as string;
    const stream = new SseClient(v.streamUrl());
    try {
      await stream.waitFor(() => stream.of('ready').length === 1);
      await v.send(id, 'm-1', 'heard live');
      await stream.waitFor(() => stream.of<{ body?: string }>('chat').some((e) => e.body === 'heard live'));
      // An agent's message stored while the signal was lost: written without a NOTIFY, so nobody hears of it…
      await s.store.transaction((tx) => appendEvent(tx, id, { kind: 'message', author: { kind: 'agent', name: 'Olive' }, clientId: 'lost-1', body: 'sent while you were away', at: new Date().toISOString() }));
      // …until the store says signals were missed (as after a reconnect).
      await s.store.notify(CHAT_CHANNEL, MISSED);
      await stream.waitFor(() => stream.of<{ body?: string }>('chat').some((e) => e.body === 'sent while you were away'));
      await s.store.notify(CHAT_CHANNEL, MISSED);
      await v.send(id, 'm-2', 'a barrier');
      await stream.waitFor(() => stream.of<{ body?: string }>('chat').some((e) => e.body === 'a barrier'));
      const seqs = stream.of<{ seq: number }>('chat').map((e) => e.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
    } finally {
      stream.close();
    }
  });
});
