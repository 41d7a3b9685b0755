import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { agent, postJson, visitor } from '../support/chat-client.js';
import { ensureAgents } from '../../server/agents.js';

describe.each(STORES)("the console API's route schemas on $name", ({ databaseUrl }) => {
  let s: TestServer;
  let cookie: string;
  let id: string;
  const json = { 'content-type': 'application/json' };
  beforeAll(async () => {
    s = await startServer({ databaseUrl: await databaseUrl() });
    const creds = (await ensureAgents(s.store, ''))!;
    cookie = (await agent(s.url, creds.email, creds.password)).cookie;
    id = (await (await visitor(s.url, 'schema-visitor')).start('schema-conv', 'hello')).body.conversation.id;
  }, 60_000);
  afterAll(() => s?.close());

  const error = async (r: Response | Promise<Response>) => {
    const res = await r;
    return { status: res.status, ...((await res.json()) as { error: { code: string; path?: string } }).error };
  };

  it('answers a body that misses its schema with invalid_body at the field, as the documented JSON Pointer', async () => {
    const post = (path: string, body: string) => fetch(`${s.url}/v1/agent${path}`, { method: 'POST', headers: { ...json, cookie }, body });
    expect(await error(post(`/conversations/${id}/messages`, '{"clientId":"","body":"x"}'))).toMatchObject({ status: 400, code: 'invalid_body', path: '/clientId' });
    expect(await error(post(`/conversations/${id}/messages`, '{"clientId":"c1"}'))).toMatchObject({ status: 400, code: 'invalid_body', path: '/body' });
    expect(await error(post(`/conversations/${id}/read`, '{"seq":1.5}'))).toMatchObject({ status: 400, code: 'invalid_body', path: '/seq' });
    expect(await error(post(`/conversations/${id}/read`, '[]'))).toMatchObject({ status: 400, code: 'invalid_body', path: '' });
    expect(await error(post(`/conversations/${id}/read`, '{"seq":'))).toMatchObject({ status: 400, code: 'invalid_json' });
    expect(await error(post('/sites/demo/secret/rotate', '{"graceSeconds":-1}'))).toMatchObject({ status: 400, code: 'invalid_body', path: '/graceSeconds' });
    expect(await error(fetch(`${s.url}/v1/agent/sites/demo/origins`, { method: 'PUT', headers: { ...json, cookie }, body: '{"allowedOrigins":"https://a.example"}' }))).toMatchObject({ status: 400, code: 'invalid_body', path: '/allowedOrigins' });
    expect(await error(post(`/conversations/${id}/messages`, '{"clientId":"c1","body":"a\\u0000b"}'))).toMatchObject({ status: 400, code: 'invalid_body', path: '/body' });
    expect(await error(post(`/conversations/${id}/messages`, JSON.stringify({ clientId: 'c1', body: 'x'.repeat(20_000) })))).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('names a query value as ?name and a path parameter as {name}', async () => {
    expect(await error(fetch(`${s.url}/v1/agent/conversations?status=nope`, { headers: { cookie } }))).toMatchObject({ status: 400, code: 'invalid_body', path: '?status' });
    expect(await error(fetch(`${s.url}/v1/agent/conversations/${'x'.repeat(65)}`, { headers: { cookie } }))).toMatchObject({ status: 400, code: 'invalid_body', path: '{id}' });
    // A repeated query value is an array: refused by the schema (`.trim()` of one was a 500).
    expect(await error(fetch(`${s.url}/v1/agent/consent?visitor=a&visitor=b`, { headers: { cookie } }))).toMatchObject({ status: 400, code: 'invalid_body', path: '?visitor' });
    expect(await error(fetch(`${s.url}/v1/agent/replays/some-session/events`, { headers: { cookie } }))).toMatchObject({ status: 400, code: 'invalid_body', path: '?window' });
  });

  it('checks the session before the schema: a stranger learns 401, never what the body should hold', async () => {
    expect(await error(fetch(`${s.url}/v1/agent/conversations/${id}/read`, { method: 'POST', headers: json, body: '{"seq":"x"}' }))).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(await error(fetch(`${s.url}/v1/agent/conversations?status=nope`))).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('answers with what the response schema lists: the inbox rows as the console types them', async () => {
    const list = (await (await fetch(`${s.url}/v1/agent/conversations?status=bot`, { headers: { cookie } })).json()) as { conversations: Record<string, unknown>[] };
    const row = list.conversations.find((c) => c.id === id)!;
    expect(Object.keys(row).sort()).toEqual([
      'anonymousId', 'assigneeId', 'assigneeName', 'channel', 'customerName', 'firstResponseAt', 'id', 'labels', 'lastMessage', 'lastSeq', 'page', 'sessionId',
      'siteKey', 'slaBreached', 'slaDueAt', 'snoozedUntil', 'state', 'status', 'teamId', 'teamName', 'updatedAt', 'userId', 'visitorEmail', 'waitingSince',
    ]);
    expect(row).toMatchObject({ siteKey: 'demo', status: 'bot', state: 'bot', anonymousId: 'schema-visitor', userId: null, lastSeq: expect.any(Number), labels: [], slaBreached: false });
    const sent = await postJson(`${s.url}/v1/agent/conversations/${id}/messages`, { clientId: 'c-ok', body: 'hi' }, { ...json, cookie });
    expect(sent.status).toBe(200);
    expect(sent.body.events[0]).toMatchObject({ conversationId: id, kind: 'message', author: { kind: 'agent' }, clientId: 'c-ok', body: 'hi' });
  });
});
