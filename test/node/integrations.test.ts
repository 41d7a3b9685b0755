import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { agent, postJson, visitor } from '../support/chat-client.js';
import { until } from '../support/until.js';
import { ensureAgents } from '../../server/agents.js';
import { signWebhook } from '../../server/integrations/webhook-signature.js';
// The sample verifier users copy: the test proves it against real deliveries.
import { createVerifier } from '../../examples/webhooks/verify-webhook.mjs';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  path: string;
}

/** A real HTTP receiver on loopback; `respond` decides each answer (status). */
const receiver = async (respond: (r: Received, n: number) => number = () => 200) => {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const r = { headers: req.headers, body, path: req.url ?? '' };
      const status = respond(r, got.length);
      got.push({ ...r, headers: { ...req.headers, 'x-answered': String(status) } });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  return { url: `http://127.0.0.1:${addr.port}`, got, close: () => new Promise<void>((r) => server.close(() => r())) };
};

const WEBHOOK_SECRET = 'whsec_test_0123456789';
const CHANNEL_SECRET = 'chsec_test_9876543210';

const event = (i: number) => ({
  type: 'track',
  event: 'Order Completed',
  messageId: `fwd-${i}`,
  anonymousId: 'anon-fwd',
  timestamp: new Date().toISOString(),
  properties: { i, revenue: 10 + i },
});

describe.each(STORES)('integrations on $name', ({ databaseUrl }) => {
  let s: TestServer;
  let segment: Awaited<ReturnType<typeof receiver>>;
  let broken: Awaited<ReturnType<typeof receiver>>;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  let email: Awaited<ReturnType<typeof receiver>>;

  beforeAll(async () => {
    // The destination fails its first two requests (500), then accepts.
    segment = await receiver((_r, n) => (n < 2 ? 500 : 200));
    broken = await receiver(() => 400);
    hooks = await receiver();
    email = await receiver();
    s = await startServer({ databaseUrl: await databaseUrl() });
    await s.app.deps.sites.configure('demo', 'Demo site', ['*'], {
      integrations: {
        forward: [
          { url: segment.url, writeKey: 'wk_live' },
          { url: broken.url, writeKey: 'wk_broken' },
        ],
        webhooks: [{ url: `${hooks.url}/hooks`, secret: WEBHOOK_SECRET, events: ['conversation.*', 'survey.response', 'consent.record'] }],
        channels: { email: { secret: CHANNEL_SECRET, replyUrl: `${email.url}/reply` } },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await Promise.all([segment, broken, hooks, email].map((r) => r?.close()));
  });

  it('forwards every accepted event, unchanged, once each, through the destination\'s failures', async () => {
    const batch = Array.from({ length: 10 }, (_, i) => event(i));
    expect((await postJson(`${s.url}/v1/batch?site=demo`, { protocol: 1, sentAt: new Date().toISOString(), batch })).status).toBe(200);
    // The SDK retries a batch it never heard back about: nothing is forwarded twice.
    expect((await postJson(`${s.url}/v1/batch?site=demo`, { protocol: 1, sentAt: new Date().toISOString(), batch })).body).toEqual({ accepted: 0, duplicates: 10 });
    const accepted = () => segment.got.filter((r) => r.headers['x-answered'] === '200').flatMap((r) => (JSON.parse(r.body) as { batch: { messageId: string }[] }).batch);
    await until(() => accepted().length >= 10, 15_000);
    expect(segment.got.length).toBeGreaterThanOrEqual(3); // two failures, then success
    expect(accepted().map((e) => e.messageId).sort()).toEqual(batch.map((e) => e.messageId).sort());
    const first = segment.got.at(-1)!;
    expect(first.path).toBe('/v1/batch');
    expect(first.headers.authorization).toBe(`Basic ${Buffer.from('wk_live:').toString('base64')}`);
    expect(accepted().find((e) => e.messageId === 'fwd-3')).toMatchObject(batch[3]!);
  });

  it('puts what a destination refuses in the dead letters, and retries them on request', async () => {
    const creds = (await ensureAgents(s.store, ''))!;
    const { cookie } = await agent(s.url, creds.email, creds.password);
    const list = async () => (await (await fetch(`${s.url}/v1/agent/sites/demo/deliveries`, { headers: { cookie } })).json()) as { dead: { id: string; target: string; lastError: string; summary: string }[] };
    await until(async () => (await list()).dead.length >= 10, 15_000);
    const dead = (await list()).dead;
    expect(dead.every((d) => d.target === broken.url && d.lastError === 'HTTP 400')).toBe(true);
    expect(dead.map((d) => d.summary)).toContain('fwd-0 Order Completed');
    const before = broken.got.length;
    const r = await postJson(`${s.url}/v1/agent/sites/demo/deliveries/retry`, { ids: [dead[0]!.id] }, { cookie, 'content-type': 'application/json' });
    expect(r.body).toEqual({ retried: 1 });
    await until(() => broken.got.length > before, 10_000);
    expect((await fetch(`${s.url}/v1/agent/sites/demo/deliveries`)).status).toBe(401);
  });

  it('signs webhooks for conversations, survey responses and consent records; the sample verifiers accept them and refuse a replay', async () => {
    const v = await visitor(s.url, 'anon-hook');
    const c = await v.start('hook-1', 'Where is my order?');
    expect(c.status).toBe(200);
    const stored = await postJson(`${s.url}/v1/batch?site=demo`, {
      protocol: 1,
      sentAt: new Date().toISOString(),
      consent: [{ id: 'cr-hook', anonymousId: 'anon-hook', timestamp: new Date().toISOString(), policyVersion: '1', mode: 'opt-in', method: 'banner', categories: { necessary: true, analytics: true } }],
      responses: [{ responseId: 'resp-hook', surveyId: 'checkout-ces', surveyVersion: 1, questionId: 'effort', value: 6, anonymousId: 'anon-hook', timestamp: new Date().toISOString() }],
    });
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);
    const types = () => hooks.got.map((r) => r.headers['touchpoint-event-type']);
    await until(() => ['conversation.message', 'consent.record', 'survey.response'].every((t) => types().includes(t)), 15_000);

    const verify = createVerifier(WEBHOOK_SECRET);
    for (const r of hooks.got) expect(verify(r.headers['touchpoint-signature'], r.body), r.body).toBe(true);
    const msg = hooks.got.find((r) => r.headers['touchpoint-event-type'] === 'conversation.message' && r.body.includes('Where is my order?'))!;
    expect(JSON.parse(msg.body)).toMatchObject({ type: 'conversation.message', siteKey: 'demo', data: { conversation: { channel: 'web' }, event: { body: 'Where is my order?' } } });
    // The same request again (a replay), and a tampered body: refused.
    expect(verify(msg.headers['touchpoint-signature'], msg.body)).toBe(false);
    expect(createVerifier(WEBHOOK_SECRET)(msg.headers['touchpoint-signature'], msg.body.replace('order', 'money'))).toBe(false);
    // An old signature (captured 10 minutes ago) is refused even if never seen.
    const old = signWebhook(WEBHOOK_SECRET, msg.body, Date.now() - 600_000);
    expect(createVerifier(WEBHOOK_SECRET)(old, msg.body)).toBe(false);

    // The Python verifier agrees: valid, then the same again (replay), then tampered.
    const input = [msg.headers['touchpoint-signature'], msg.body, msg.headers['touchpoint-signature'], msg.body, msg.headers['touchpoint-signature'], msg.body.replace('order', 'money'), ''].join('\n');
    const out = execFileSync('python3', [resolve(import.meta.dirname, '../../examples/webhooks/verify_webhook.py'), WEBHOOK_SECRET], { input }).toString().trim().split('\n');
    expect(out).toEqual(['ok', 'refused', 'refused']);
  });

  it('takes a signed email into the inbox beside web chats, and sends the agent\'s reply back to the channel', async () => {
    const post = (body: object, sign = CHANNEL_SECRET) => {
      const raw = JSON.stringify(body);
      return fetch(`${s.url}/v1/channels/email/messages?site=demo`, { method: 'POST', headers: { 'content-type': 'application/json', 'touchpoint-signature': signWebhook(sign, raw) }, body: raw });
    };
    const msg = { protocol: 1, externalId: 'grace@example.com', messageId: '<m1@mail.example>', body: 'My boots arrived in the wrong size.', from: { name: 'Grace', email: 'grace@example.com' }, subject: 'Wrong size' };
    const r1 = await post(msg);
    expect(r1.status).toBe(200);
    const { conversation } = (await r1.json()) as { conversation: { id: string; channel: string; status: string } };
    expect(conversation).toMatchObject({ channel: 'email', status: 'pending' });
    // The same message again (the bridge retried): nothing new.
    const again = (await (await post(msg)).json()) as { events: { seq: number }[] };
    const { rows } = await s.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM chat_events WHERE conversation_id = $1 AND body = $2`, [conversation.id, msg.body]);
    expect(rows[0]!.n).toBe(1);
    expect(again.events.length).toBeLessThanOrEqual(1);
    // Unsigned or wrongly signed: refused with a clear error, nothing stored.
    const bad = await post({ ...msg, messageId: '<m2@mail.example>' }, 'not-the-secret');
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_signature');
    expect((await fetch(`${s.url}/v1/channels/sms/messages?site=demo`, { method: 'POST', body: '{}' })).status).toBe(404);

    // In the inbox, beside web chats.
    const creds = (await ensureAgents(s.store, ''))!;
    const a = await agent(s.url, creds.email, creds.password);
    const list = (await (await fetch(`${s.url}/v1/agent/conversations?status=pending`, { headers: { cookie: a.cookie } })).json()) as { conversations: { id: string; channel: string; visitorEmail: string | null }[] };
    expect(list.conversations.find((x) => x.id === conversation.id)).toMatchObject({ channel: 'email', visitorEmail: 'grace@example.com' });

    // The agent replies: the channel's webhook gets it, signed with the channel secret.
    await a.send(conversation.id, 'agent-1', 'Sorry, Grace! A replacement pair ships today.');
    await until(() => email.got.length > 0, 15_000);
    const reply = email.got[0]!;
    expect(createVerifier(CHANNEL_SECRET)(reply.headers['touchpoint-signature'], reply.body)).toBe(true);
    expect(JSON.parse(reply.body)).toMatchObject({
      type: 'conversation.reply',
      data: { channel: 'email', externalId: 'grace@example.com', conversationId: conversation.id, body: 'Sorry, Grace! A replacement pair ships today.', author: { kind: 'agent' } },
    });
    // Grace answers by email: the same conversation.
    const r3 = (await (await post({ ...msg, messageId: '<m3@mail.example>', body: 'Thank you!' })).json()) as { conversation: { id: string } };
    expect(r3.conversation.id).toBe(conversation.id);
  });

  it('keeps chatting when the site must be read again: no query waits on a transaction it is inside (PGlite is one connection)', async () => {
    const v = await visitor(s.url, 'anon-cold');
    const c = await v.start('cold-1', 'talk to a person');
    const creds = (await ensureAgents(s.store, ''))!;
    const a = await agent(s.url, creds.email, creds.password);
    // The site cache expires after 5 s; clear it so the chat must read the site while it writes.
    (s.app.deps.sites as unknown as { cache: Map<string, unknown> }).cache.clear();
    const r = await Promise.race([a.send(c.body.conversation.id, 'cold-a', 'Hello again'), new Promise<'stuck'>((res) => setTimeout(() => res('stuck'), 5_000))]);
    expect(r === 'stuck' ? r : r.status).toBe(200);
  });
});
