import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { testClock } from '../support/clock.js';
import { until } from '../support/until.js';
import { agent, postJson, visitor } from '../support/chat-client.js';
import { ensureAgents, upsertAgent } from '../../server/agents.js';
import { hmacHex } from '../../server/lib/hmac.js';
import { wasErased } from '../../server/privacy/erase-customer.js';
import { CUSTOMER_TABLES } from '../../server/privacy/customer-tables.js';
import { applyRetention, DEFAULT_RETENTION } from '../../server/privacy/retention.js';
import type { CustomerExport } from '../../server/privacy/export-customer.js';

/** What only Ada's data contains: her two devices, her sessions, her e-mail and her words. */
const ADA_MARKS = ['era-a1', 'era-a2', 'era-s1', 'era-s2', 'ada.erase@example.com', 'ERASE-ME-CHAT'];

const hookReceiver = async () => {
  const got: { type: string; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ type: String(req.headers['touchpoint-event-type']), body });
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, got, close: () => new Promise<void>((r) => server.close(() => r())) };
};

describe.each(STORES)('erasure, export and retention on $name', ({ databaseUrl }) => {
  const clock = testClock('2026-11-30T12:00:00.000Z');
  let s: TestServer;
  let hooks: Awaited<ReturnType<typeof hookReceiver>>;
  let owner: string;
  let plainAgent: string;

  const as = (cookie: string, path: string, method = 'GET') => fetch(`${s.url}/v1/agent/sites/demo${path}`, { method, headers: { cookie } });
  const ev = (id: string, anon: string, session: string, extra: Record<string, unknown> = {}) => ({
    type: 'page',
    messageId: id,
    anonymousId: anon,
    timestamp: clock.iso(-60_000),
    properties: {},
    context: { session: { id: session }, page: { url: 'https://shop.example/', path: '/' } },
    ...extra,
  });
  /** Every row of every table of the store that mentions `mark`, as `table: n`. */
  const traces = async (mark: string) => {
    const { rows: tables } = await s.store.query<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    const found: string[] = [];
    for (const { t } of tables) {
      const { rows } = await s.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t} x WHERE x::text LIKE $1`, [`%${mark}%`]);
      if (rows[0]!.n) found.push(`${t}: ${rows[0]!.n}`);
    }
    return found;
  };

  beforeAll(async () => {
    hooks = await hookReceiver();
    s = await startServer({ databaseUrl: await databaseUrl(), now: clock });
    await s.app.deps.sites.configure('demo', 'Demo site', ['*'], {
      integrations: { webhooks: [{ url: hooks.url, secret: 'whsec_erasure', events: ['customer.deleted', 'conversation.*', 'survey.response', 'consent.record'] }] },
    });
    const secret = (await s.app.deps.sites.get('demo'))!.secret;
    const creds = (await ensureAgents(s.store, ''))!;
    owner = (await agent(s.url, creds.email, creds.password)).cookie;
    await upsertAgent(s.store, 'helper@shop.example', 'helper-password-1', 'Helper', 'agent');
    plainAgent = (await agent(s.url, 'helper@shop.example', 'helper-password-1')).cookie;
    const hash = hmacHex(secret, 'ada');
    const consent = (id: string, anonymousId: string) => ({ id, anonymousId, timestamp: clock.iso(-60_000), policyVersion: '1', mode: 'opt-in', method: 'banner', categories: { necessary: true, analytics: true } });
    const batch = await postJson(`${s.url}/v1/batch?site=demo`, {
      protocol: 1,
      sentAt: clock.iso(),
      batch: [
        // Ada on her laptop and on her phone, both verified; Bob, and Mallory who claims to be Ada without a hash.
        ev('era-1', 'era-a1', 'era-s1'),
        ev('era-2', 'era-a1', 'era-s1', { type: 'identify', userId: 'ada', userHash: hash, traits: { email: 'ada.erase@example.com' }, properties: undefined }),
        ev('era-3', 'era-a2', 'era-s2'),
        ev('era-4', 'era-a2', 'era-s2', { type: 'identify', userId: 'ada', userHash: hash, properties: undefined }),
        ev('era-5', 'era-b1', 'era-s3'),
        // Ada's laptop id on a page of Bob's session (a shared tab): her event, in his session's journey.
        ev('era-7', 'era-a1', 'era-s3', { timestamp: clock.iso(-50_000) }),
        ev('era-6', 'era-m1', 'era-s4', { type: 'identify', userId: 'ada', traits: { email: 'mallory@example.com' }, properties: undefined }),
      ],
      consent: [consent('era-c1', 'era-a1'), consent('era-c2', 'era-b1')],
      responses: [{ responseId: 'era-r1', surveyId: 'checkout-ces', surveyVersion: 1, questionId: 'effort', value: 6, anonymousId: 'era-a2', sessionId: 'era-s2', timestamp: clock.iso(-30_000) }],
    });
    expect(batch.status, JSON.stringify(batch.body)).toBe(200);
    const v = await visitor(s.url, 'era-a1', 'demo', { userId: 'ada', userHash: hash });
    const conv = await v.start('era-conv', 'ERASE-ME-CHAT: where is my order?');
    expect(conv.status).toBe(200);
    // Her e-mail to support threads into that conversation (docs/channels.md): the message by id, raw included, and the identity link.
    await s.store.query(
      `INSERT INTO channel_messages (site_key, channel, external_id, direction, conversation_id, raw, created_at) VALUES ('demo', 'email', '<era-1@mail.example>', 'in', $1, $2, $3)`,
      [conv.body.conversation.id, Buffer.from('From: ada.erase@example.com\r\n\r\nERASE-ME-CHAT by mail'), clock.iso()],
    );
    await s.store.query(`INSERT INTO identity_links (site_key, anonymous_id, user_id, how, created_at) VALUES ('demo', 'email:ada.erase@example.com', 'ada', 'trait', $1)`, [clock.iso()]);
    const replay = await fetch(`${s.url}/v1/replay?site=demo&session=era-s1&window=w1&seq=0&first=1&last=2&anon=era-a1&encoding=gzip`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: gzipSync(JSON.stringify([{ type: 4, timestamp: 1, data: { href: 'https://shop.example/' } }])),
    });
    expect(replay.status).toBe(200);
    // The webhooks about Ada went out (and their delivered copies wait for retention).
    await until(() => ['conversation.message', 'consent.record', 'survey.response'].every((t) => hooks.got.some((h) => h.type === t)), 15_000);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await hooks?.close();
  });

  it('lets only owners and admins export or erase, and names an unknown customer 404', async () => {
    expect((await as(plainAgent, '/customers/ada/export')).status).toBe(403);
    expect((await as(plainAgent, '/customers/ada', 'DELETE')).status).toBe(403);
    expect((await fetch(`${s.url}/v1/agent/sites/demo/customers/ada/export`)).status).toBe(401);
    expect((await as(owner, '/customers/nobody-at-all/export')).status).toBe(404);
    // Hostile ids get the documented 4xx, never a 500.
    for (const id of ['%00', 'constructor', '__proto__', '%ED%A0%80', 'x'.repeat(300)]) {
      expect((await as(owner, `/customers/${id}/export`)).status, id).toBeGreaterThanOrEqual(400);
      expect((await as(owner, `/customers/${id}/export`)).status, id).toBeLessThan(500);
    }
  });

  it('exports everything held about a customer, both devices, and nothing of anyone else', async () => {
    const r = await as(owner, '/customers/era-a2/export');
    expect(r.status, await r.clone().text()).toBe(200);
    expect(r.headers.get('content-disposition')).toContain('customer-ada.json');
    const x = (await r.json()) as CustomerExport;
    expect(x.customer).toEqual({ userId: 'ada', anonymousIds: expect.arrayContaining(['era-a1', 'era-a2']) });
    expect(Object.keys(x.tables).sort()).toEqual(CUSTOMER_TABLES.map((t) => t.table).sort());
    expect(x.tables.events!.map((e) => e.message_id).sort()).toEqual(['era-1', 'era-2', 'era-3', 'era-4', 'era-7']);
    expect(x.tables.conversations).toHaveLength(1);
    expect(JSON.stringify(x.tables.chat_events)).toContain('ERASE-ME-CHAT');
    expect(x.tables.replay_chunks![0]).toMatchObject({ session_id: 'era-s1', gzipBase64: expect.any(String) });
    expect(x.tables.survey_answers).toHaveLength(1);
    expect(x.tables.consent_records!.map((c) => c.record_id)).toEqual(['era-c1']);
    const text = JSON.stringify(x);
    for (const other of ['era-b1', 'era-m1', 'mallory@example.com']) expect(text).not.toContain(other);
  });

  it('erases every trace of a customer from every table, keeps everyone else, audits it and tells the webhooks', async () => {
    for (const mark of ADA_MARKS) expect(await traces(mark), mark).not.toEqual([]);
    const r = await as(owner, '/customers/ada', 'DELETE');
    expect(r.status, await r.clone().text()).toBe(200);
    const body = (await r.json()) as { erased: { userId: string; anonymousIds: string[] }; counts: Record<string, number> };
    expect(body.erased.userId).toBe('ada');
    expect(body.counts).toMatchObject({ events: 5, sessions: 2, conversations: 1, replay_chunks: 1, survey_answers: 1, consent_records: 1, identities: 2, channel_messages: 1, identity_links: 1 });
    // The customer.deleted webhook carries the ids to downstream systems; once delivered, that copy goes too.
    await until(() => hooks.got.some((h) => h.type === 'customer.deleted'), 15_000);
    expect(JSON.parse(hooks.got.find((h) => h.type === 'customer.deleted')!.body).data).toMatchObject({ userId: 'ada', anonymousIds: expect.arrayContaining(['era-a1', 'era-a2']) });
    await until(async () => (await traces('era-a1')).length === 0, 10_000);
    for (const mark of ADA_MARKS) expect(await traces(mark), mark).toEqual([]);
    // Bob and Mallory are untouched; the audit trail knows Ada was erased without keeping her ids.
    expect(await traces('era-b1')).toEqual(expect.arrayContaining([expect.stringMatching(/^events: 1$/), expect.stringMatching(/^consent_records: 1$/)]));
    expect(await traces('mallory@example.com')).toEqual(['events: 1']);
    expect(await wasErased(s.store, 'demo', 'ada')).toBe(true);
    expect(await wasErased(s.store, 'demo', 'era-a2')).toBe(true);
    expect(await wasErased(s.store, 'demo', 'era-b1')).toBe(false);
    expect((await as(owner, '/customers/ada/export')).status).toBe(404);
    // Proof of consent is still append-only outside an erasure.
    await expect(s.store.query(`DELETE FROM consent_records WHERE record_id = 'era-c2'`)).rejects.toThrow(/append-only/);
  });

  it('deletes what is older than the site keeps, by kind, in batches, and nothing younger', async () => {
    // Bob's page view and consent are a minute old: a year and a month later only the consent (kept five years) is left.
    expect(await applyRetention(s.store, 'demo', DEFAULT_RETENTION, clock())).toMatchObject({ eventsDays: 0 });
    const later = Date.parse('2027-12-31T12:00:00.000Z');
    const deleted = await applyRetention(s.store, 'demo', DEFAULT_RETENTION, later, { batch: 1 });
    expect(deleted.eventsDays).toBeGreaterThanOrEqual(2); // Bob's and Mallory's events (and their sessions), one row per batch
    expect(await traces('era-b1')).toEqual(['consent_records: 1']);
    expect((await applyRetention(s.store, 'demo', { ...DEFAULT_RETENTION, consentDays: 365 }, later)).consentDays).toBe(1);
    expect(await traces('era-b1')).toEqual([]);
  });
});
