import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { SseClient } from '../support/sse-client.js';
import { agent, postJson, visitor } from '../support/chat-client.js';
import { ensureAgents } from '../../server/agents.js';
import { hmacHex } from '../../server/lib/hmac.js';

describe.each(STORES)('chat on $name', ({ databaseUrl }) => {
  let s: TestServer;
  let creds: { email: string; password: string };
  const streams: SseClient[] = [];
  const sse = (url: string, headers?: Record<string, string>) => {
    const c = new SseClient(url, headers);
    streams.push(c);
    return c;
  };
  beforeAll(async () => {
    s = await startServer({ databaseUrl: await databaseUrl() });
    creds = (await ensureAgents(s.store, ''))!;
  }, 60_000);
  afterAll(async () => {
    streams.forEach((c) => c.close());
    await s?.close();
  });

  it('greets, answers from the FAQ, and hands off to a person on request', async () => {
    const v = await visitor(s.url, 'anon-bot');
    const started = await v.start('conv-bot', 'How long does shipping take?');
    expect(started.status).toBe(200);
    const events = started.body.events as { kind: string; author: { kind: string }; body?: string }[];
    expect(events.map((e) => `${e.author.kind}:${e.kind}`)).toEqual(['bot:message', 'visitor:message', 'bot:message']);
    expect(events[2]!.body).toMatch(/ship within/);
    const id = started.body.conversation.id;
    const h = await v.send(id, 'm-2', 'Can I talk to a person please?');
    const kinds = (h.body.events as { kind: string; author: { kind: string }; data?: { status?: string; askEmail?: boolean } }[]).map((e) => `${e.author.kind}:${e.kind}${e.data?.status ? `:${e.data.status}` : ''}`);
    expect(kinds).toEqual(['visitor:message', 'system:handoff', 'system:status:pending', 'system:message']);
    // No agent is online: the visitor is asked for an email.
    expect(h.body.events.at(-1).data).toEqual({ askEmail: true });
    expect((await v.action(id, 'email', { email: 'ada@example.com' })).status).toBe(200);
  });

  it('creates a conversation and posts a message once per clientId, however often they are sent', async () => {
    const v = await visitor(s.url, 'anon-idem');
    const a = await v.start('conv-idem', 'hello');
    const b = await v.start('conv-idem', 'hello');
    expect(b.body.conversation.id).toBe(a.body.conversation.id);
    const id = a.body.conversation.id;
    await v.send(id, 'msg-1', 'once');
    await v.send(id, 'msg-1', 'once');
    const all = (await v.events(id)).body.events as { clientId?: string }[];
    expect(all.filter((e) => e.clientId === 'msg-1')).toHaveLength(1);
  });

  it('never lets one visitor read, post to or stream another visitor\'s conversation', async () => {
    const a = await visitor(s.url, 'anon-A');
    const b = await visitor(s.url, 'anon-B');
    const id = (await a.start('conv-private', 'my secret order 1234')).body.conversation.id;
    expect((await b.events(id)).status).toBe(404);
    expect((await b.send(id, 'x', 'hi')).status).toBe(404);
    expect((await b.action(id, 'handoff')).status).toBe(404);
    const streamB = sse(b.streamUrl());
    await streamB.waitFor(() => streamB.of('ready').length === 1);
    await a.send(id, 'after', 'another secret');
    // A barrier instead of a pause: B's own conversation, started after A's message, reaches B's stream;
    // events fan out in commit order, so A's message would have arrived before it.
    await b.start('conv-b-own', 'my own question');
    await streamB.waitFor(() => JSON.stringify(streamB.messages).includes('my own question'));
    expect(JSON.stringify(streamB.messages)).not.toContain('secret');
    // A forged or tampered token is refused outright.
    const forged = a.token.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    const r = await fetch(`${s.url}/v1/chat/conversations/${id}/events?site=demo&token=${encodeURIComponent(forged)}`);
    expect(r.status).toBe(401);
    expect((await r.json()).error.code).toBe('invalid_token');
  });

  it('continues across devices only for a verified user', async () => {
    const secret = (await s.app.deps.sites.get('demo'))!.secret;
    const phone = await visitor(s.url, 'anon-phone', 'demo', { userId: 'user-42', userHash: hmacHex(secret, 'user-42') });
    const id = (await phone.start('conv-devices', 'from my phone')).body.conversation.id;
    await s.store.query('UPDATE conversations SET user_id = $1 WHERE id = $2', ['user-42', id]);
    const laptop = await visitor(s.url, 'anon-laptop', 'demo', { userId: 'user-42', userHash: hmacHex(secret, 'user-42') });
    expect((await laptop.events(id)).status).toBe(200);
    const forged = await postJson(`${s.url}/v1/visitor`, { protocol: 1, siteKey: 'demo', anonymousId: 'anon-evil', userId: 'user-42', userHash: hmacHex('guess', 'user-42') });
    expect(forged.status).toBe(403);
  });

  it('resumes a dropped stream from Last-Event-ID with exactly the missed events, none twice', async () => {
    const v = await visitor(s.url, 'anon-resume');
    const ag = await agent(s.url, creds.email, creds.password);
    const id = (await v.start('conv-resume', 'hi')).body.conversation.id;
    const first = sse(v.streamUrl());
    await first.waitFor(() => first.of('ready').length === 1);
    await ag.send(id, 'a1', 'one');
    await first.waitFor(() => first.of('chat').some((e) => e.body === 'one'));
    const cursor = first.lastEventId!;
    first.close();
    for (const n of ['two', 'three', 'four']) await ag.send(id, `a-${n}`, n);
    const second = sse(v.streamUrl(), { 'last-event-id': cursor });
    // Nothing may arrive twice, also after the replay: wait for a message sent after it.
    await ag.send(id, 'a-five', 'five');
    await second.waitFor(() => second.of('chat').some((e) => e.body === 'five'));
    const got = second.of<{ seq: number; body?: string; kind: string }>('chat');
    const seqs = got.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(got.filter((e) => e.kind === 'message').map((e) => e.body)).toEqual(['two', 'three', 'four', 'five']);
    expect(Math.min(...seqs)).toBe(Number(cursor.split(':')[1]) + 1);
  });

  it('shows typing both ways without storing it', async () => {
    const v = await visitor(s.url, 'anon-typing');
    const ag = await agent(s.url, creds.email, creds.password);
    const id = (await v.start('conv-typing', 'hi')).body.conversation.id;
    const vs = sse(v.streamUrl());
    const as = sse(`${s.url}/v1/agent/stream`, ag.streamHeaders);
    await vs.waitFor(() => vs.of('ready').length === 1);
    await as.waitFor(() => as.of('ready').length === 1);
    await v.action(id, 'typing', { typing: true });
    await as.waitFor(() => as.of('typing').some((t) => t.conversationId === id && t.typing));
    await postJson(`${s.url}/v1/agent/conversations/${id}/typing`, { typing: true }, { cookie: ag.cookie, 'content-type': 'application/json' });
    await vs.waitFor(() => vs.of('typing').some((t) => t.author.kind === 'agent'));
    expect(vs.of('typing').some((t) => t.author.kind === 'visitor')).toBe(false);
    const stored = (await v.events(id)).body.events as { kind: string }[];
    expect(stored.some((e) => e.kind === 'typing')).toBe(false);
  });

  it('streams a site added while the console is open to that console, without a reconnect', async () => {
    const ag = await agent(s.url, creds.email, creds.password);
    const as = sse(`${s.url}/v1/agent/stream`, ag.streamHeaders);
    await as.waitFor(() => as.of('ready').length === 1);
    const key = `late-${Math.random().toString(36).slice(2, 8)}`;
    await s.app.deps.sites.create(key, 'Added later', ['*']);
    const v = await visitor(s.url, 'anon-late-site', key);
    const id = (await v.start('conv-late-site', 'hello from a new site')).body.conversation.id;
    await as.waitFor(() => as.of<{ conversationId: string }>('chat').some((e) => e.conversationId === id));
  });

  it('keeps the console behind agent login', async () => {
    expect((await fetch(`${s.url}/v1/agent/conversations`)).status).toBe(401);
    expect((await fetch(`${s.url}/v1/agent/stream`)).status).toBe(401);
    expect((await postJson(`${s.url}/v1/agent/login`, { email: creds.email, password: 'wrong' }, { 'content-type': 'application/json' })).status).toBe(401);
    expect((await fetch(`${s.url}/v1/agent/conversations`, { headers: { cookie: 'tp_agent=forged.9999999999.abc' } })).status).toBe(401);
  });

  it('answers bad chat requests with documented 4xx errors', async () => {
    const v = await visitor(s.url, 'anon-bad');
    const id = (await v.start('conv-bad')).body.conversation.id;
    const long = await v.send(id, 'long', 'x'.repeat(4001));
    expect(long.status).toBe(400);
    expect(long.body.error).toMatchObject({ code: 'invalid_body', path: '/body' });
    expect((await postJson(`${s.url}/v1/chat/conversations`, { protocol: 1, siteKey: 'demo', clientId: 'x' })).body.error.code).toBe('invalid_body');
    expect((await postJson(`${s.url}/v1/chat/conversations`, { protocol: 1, siteKey: 'demo', token: 'nope', clientId: 'x' })).body.error.code).toBe('invalid_token');
    expect((await v.action(id, 'email', { email: 'not-an-email' })).status).toBe(400);
    expect((await v.events('no-such-conversation')).status).toBe(404);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('two server instances on one PostgreSQL', () => {
  it('carry a conversation between a visitor on one and an agent on the other, both ways, in order', async () => {
    const url = await STORES[1]!.databaseUrl();
    const a = await startServer({ databaseUrl: url });
    const b = await startServer({ databaseUrl: url });
    const creds = (await ensureAgents(a.store, ''))!;
    const streams: SseClient[] = [];
    try {
      const v = await visitor(a.url, 'anon-two');
      const ag = await agent(b.url, creds.email, creds.password);
      const agentStream = new SseClient(`${b.url}/v1/agent/stream`, ag.streamHeaders);
      const visitorStream = new SseClient(v.streamUrl());
      streams.push(agentStream, visitorStream);
      await agentStream.waitFor(() => agentStream.of('ready').length === 1);
      await visitorStream.waitFor(() => visitorStream.of('ready').length === 1);
      const id = (await v.start('conv-two', 'talk to a person')).body.conversation.id;
      await agentStream.waitFor(() => agentStream.of('chat').some((e) => e.conversationId === id && e.kind === 'handoff'));
      for (let i = 1; i <= 5; i++) {
        await ag.send(id, `agent-${i}`, `agent ${i}`);
        await v.send(id, `visitor-${i}`, `visitor ${i}`);
      }
      await visitorStream.waitFor(() => visitorStream.of('chat').some((e) => e.body === 'visitor 5'));
      await agentStream.waitFor(() => agentStream.of('chat').some((e) => e.body === 'visitor 5'));
      const onVisitor = visitorStream.of('chat').filter((e) => e.kind === 'message' && e.conversationId === id).map((e) => e.body);
      const onAgent = agentStream.of('chat').filter((e) => e.kind === 'message' && e.conversationId === id).map((e) => e.body);
      const expected = [1, 2, 3, 4, 5].flatMap((i) => [`agent ${i}`, `visitor ${i}`]);
      expect(onVisitor.slice(-10)).toEqual(expected);
      expect(onAgent.slice(-10)).toEqual(expected);
      for (const st of [visitorStream, agentStream]) {
        const seqs = st.of('chat').filter((e) => e.conversationId === id).map((e) => e.seq);
        expect(new Set(seqs).size).toBe(seqs.length);
      }
    } finally {
      streams.forEach((c) => c.close());
      await a.close();
      await b.close();
    }
  }, 60_000);
});

describe('the rule bot', () => {
  it('answers keywords at the start of words, hands off on request, and falls back', async () => {
    const { botReply, loadFaq } = await import('../../server/chat/bot.js');
    const faq = loadFaq();
    expect(botReply(faq, 'What are your returns terms?')).toMatchObject({ kind: 'answer', text: expect.stringMatching(/30 days/) });
    expect(botReply(faq, 'Can I TALK TO A PERSON?')).toEqual({ kind: 'handoff' });
    expect(botReply(faq, 'I need a human')).toEqual({ kind: 'handoff' });
    expect(botReply(faq, 'Tell me a joke')).toEqual({ kind: 'answer', text: faq.fallback });
    expect(botReply(faq, 'unreturnable')).toEqual({ kind: 'answer', text: faq.fallback });
  });
});
