import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { STORES } from '../support/stores.js';
import { startChannelsServer } from '../support/channels-server.js';
import type { TestServer } from '../support/start-server.js';
import { testClock } from '../support/clock.js';
import { until } from '../support/until.js';
import { agent, postJson } from '../support/chat-client.js';
import { ensureAgents } from '../../server/agents.js';
import { hmacHex } from '../../server/lib/hmac.js';
import { hubSignature } from '../../server/channels/meta-webhooks.js';
import { resolveCustomer } from '../../server/customers/customer-profile.js';

const PAGE_ID = '105557218135623';
const IG_ID = '17841405822304914';
const PHONE_ID = '123456123';
const PSID = '6789012345678901';
const IGSID = '5432109876543210';
const WA_ID = '16315551181';
const APP_SECRET = 'meta-app-secret-0123456789abcdef';
const TOKENS = { messenger: 'EAAG-page-token', instagram: 'EAAG-ig-token', whatsapp: 'EAAG-wa-system-user-token' } as const;

interface GraphCall {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/**
 * A local Graph API: checks each send's path, version, bearer token and
 * body shape as Meta does, and answers like Meta (a message id, or Meta's
 * error object). A recipient named "outside-window" gets Messenger's 10/2018278.
 */
const fakeGraph = async () => {
  const calls: GraphCall[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      calls.push({ path: req.url ?? '', headers: req.headers, body });
      const send = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      const m = /^\/v21\.0\/(\d+)\/messages$/.exec(req.url ?? '');
      const kind = m?.[1] === PAGE_ID ? 'messenger' : m?.[1] === IG_ID ? 'instagram' : m?.[1] === PHONE_ID ? 'whatsapp' : undefined;
      if (req.method !== 'POST' || !kind) return send(404, { error: { message: 'Unknown path', code: 803 } });
      if (req.headers.authorization !== `Bearer ${TOKENS[kind]}`) return send(401, { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } });
      n++;
      if (kind === 'whatsapp') {
        const okText = body.type === 'text' && typeof (body.text as { body?: unknown })?.body === 'string';
        const okTemplate = body.type === 'template' && typeof (body.template as { name?: unknown })?.name === 'string';
        if (body.messaging_product !== 'whatsapp' || body.recipient_type !== 'individual' || typeof body.to !== 'string' || !(okText || okTemplate)) return send(400, { error: { message: '(#100) Invalid parameter', code: 100 } });
        return send(200, { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.out.${n}` }] });
      }
      const recipient = (body.recipient as { id?: string })?.id;
      if (!recipient || typeof (body.message as { text?: unknown })?.text !== 'string' || !['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(String(body.messaging_type))) return send(400, { error: { message: '(#100) Invalid parameter', code: 100 } });
      if (recipient === 'outside-window') return send(400, { error: { message: '(#10) This message is sent outside of allowed window.', code: 10, error_subcode: 2018278 } });
      return send(200, { recipient_id: recipient, message_id: `m_out_${n}` });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address() as { port: number };
  return { url: `http://127.0.0.1:${a.port}`, calls, close: () => new Promise<void>((r) => server.close(() => r())) };
};

// Meta's documented webhook examples (developers.facebook.com: Messenger Platform webhook events, Instagram messaging, WhatsApp Cloud API).
const messengerText = (t: number, mid = 'mid.1457764197618:41d102a3e1ae206a38', text = 'hello, world!') => ({
  object: 'page',
  entry: [{ id: PAGE_ID, time: t, messaging: [{ sender: { id: PSID }, recipient: { id: PAGE_ID }, timestamp: t, message: { mid, text, quick_reply: { payload: 'DEVELOPER_DEFINED_PAYLOAD' } } }] }],
});
const messengerPostback = (t: number) => ({
  object: 'page',
  entry: [{ id: PAGE_ID, time: t, messaging: [{ sender: { id: PSID }, recipient: { id: PAGE_ID }, timestamp: t, postback: { mid: 'm_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P', title: 'Get Started', payload: 'GET_STARTED' } }] }],
});
const instagramText = (t: number) => ({
  object: 'instagram',
  entry: [{ id: IG_ID, time: t, messaging: [{ sender: { id: IGSID }, recipient: { id: IG_ID }, timestamp: t, message: { mid: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA1ODIyMzA0OTE0OjM0MDI4MjM2Njg0MTcxMDMwMDk0OTEyODE3ODE4OTQ3NjI1NjA3MjozMTM3NjUyMzY4MTgwNzE1NDQ0NjQ0MDE4NDk1NTA4Nzk1MgZDZD', text: 'Is the red one in stock?' } }] }],
});
const whatsapp = (value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '16505551111', phone_number_id: PHONE_ID }, ...value } }] }],
});
const whatsappText = (tSeconds: number, id = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=', body = 'this is a text message') =>
  whatsapp({ contacts: [{ profile: { name: 'Kerry Fisher' }, wa_id: WA_ID }], messages: [{ from: WA_ID, id, timestamp: String(tSeconds), text: { body }, type: 'text' }] });
const whatsappStatus = (id: string, status: string, tSeconds: number) => whatsapp({ statuses: [{ id, status, timestamp: String(tSeconds), recipient_id: WA_ID }] });

describe.each(STORES)('Messenger, Instagram and WhatsApp channels on $name', ({ databaseUrl }) => {
  const clock = testClock('2026-11-30T10:00:00.000Z');
  let s: TestServer & { smtpPort: number };
  let graph: Awaited<ReturnType<typeof fakeGraph>>;
  let owner: Awaited<ReturnType<typeof agent>>;
  const ids: Record<string, string> = {};
  const ownerPost = (path: string, body: unknown) => postJson(`${s.url}/v1/agent/sites/demo${path}`, body, { cookie: owner.cookie, 'content-type': 'application/json' });
  const hook = (kind: string, body: string | object, signature?: string) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    return fetch(`${s.url}/v1/channels/meta/${ids[kind]}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature ?? hubSignature(APP_SECRET, raw) }, body: raw });
  };
  const conversationOf = async (anon: string) => (await s.store.query<{ id: string; channel: string; status: string }>('SELECT id, channel, status FROM conversations WHERE anonymous_id = $1', [anon])).rows;
  const eventsOf = async (id: string) =>
    (await s.store.query<{ seq: number; kind: string; author_kind: string; author_name: string | null; body: string | null; data: Record<string, unknown> | null }>('SELECT seq, kind, author_kind, author_name, body, data FROM chat_events WHERE conversation_id = $1 ORDER BY seq', [id])).rows;
  const messages = async (id: string) => (await eventsOf(id)).filter((e) => e.kind === 'message');
  const stored = async () => Number((await s.store.query<{ n: number }>('SELECT count(*)::int AS n FROM chat_events')).rows[0]!.n);

  beforeAll(async () => {
    graph = await fakeGraph();
    s = await startChannelsServer({ databaseUrl: await databaseUrl(), now: clock, graphUrl: graph.url });
    await ensureAgents(s.store, 'owner@shop.test:owner-pass-1:Olive:owner');
    owner = await agent(s.url, 'owner@shop.test', 'owner-pass-1');
    for (const [kind, address] of [['messenger', PAGE_ID], ['instagram', IG_ID], ['whatsapp', PHONE_ID]] as const) {
      const r = await ownerPost('/channels', { kind, address, name: `Shop ${kind}`, secrets: { appSecret: APP_SECRET, accessToken: TOKENS[kind], verifyToken: `verify-${kind}` } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(JSON.stringify(r.body)).not.toContain(TOKENS[kind]);
      ids[kind] = r.body.account.id;
    }
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await graph?.close();
  });

  it('answers the subscription handshake with the challenge only for the account\'s verify token', async () => {
    const get = (q: string, kind = 'messenger') => fetch(`${s.url}/v1/channels/meta/${ids[kind] ?? kind}?${q}`);
    const ok = await get('hub.mode=subscribe&hub.verify_token=verify-messenger&hub.challenge=1158201444');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await get('hub.mode=subscribe&hub.verify_token=verify-whatsapp&hub.challenge=1')).status).toBe(403);
    expect((await get('hub.mode=unsubscribe&hub.verify_token=verify-messenger&hub.challenge=1')).status).toBe(403);
    expect((await get('hub.mode=subscribe&hub.verify_token=verify-messenger&hub.challenge=<script>')).status).toBe(403);
    expect((await get('hub.mode=subscribe', 'constructor')).status).toBe(404);
  });

  it('takes Messenger messages and postbacks into one conversation, stores a replayed delivery once, and sends the agent\'s reply through the Send API', async () => {
    const t = clock();
    expect((await hook('messenger', messengerText(t))).status).toBe(200);
    const replay = await hook('messenger', messengerText(t));
    expect(await replay.json()).toMatchObject({ stored: 0, duplicates: 1 });
    expect((await hook('messenger', messengerPostback(t + 1000))).status).toBe(200);
    const [c] = await conversationOf(`messenger:${PSID}`);
    expect(c).toMatchObject({ channel: 'messenger', status: 'pending' });
    const ms = await messages(c!.id);
    expect(ms.map((m) => m.body)).toEqual(['hello, world!', 'Get Started']);
    expect((ms[1]!.data!.messenger as { postback: unknown }).postback).toEqual({ payload: 'GET_STARTED' });

    expect((await owner.send(c!.id, 'm-reply-1', 'Hi! How can we help?')).status).toBe(200);
    await until(() => graph.calls.some((g) => g.path === `/v21.0/${PAGE_ID}/messages`));
    const call = graph.calls.find((g) => g.path === `/v21.0/${PAGE_ID}/messages`)!;
    expect(call.headers.authorization).toBe(`Bearer ${TOKENS.messenger}`);
    expect(call.body).toEqual({ recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: 'Hi! How can we help?' } });
    // The platform's id replaces ours: its receipts find the message.
    await until(async () => (await s.store.query("SELECT 1 FROM channel_messages WHERE external_id LIKE 'm_out_%' AND status = 'sent'")).rows.length === 1);
    const mid = (await s.store.query<{ external_id: string; seq: number }>("SELECT external_id, seq FROM channel_messages WHERE external_id LIKE 'm_out_%'")).rows[0]!;
    const receipt = (m: Record<string, unknown>) => ({ object: 'page', entry: [{ id: PAGE_ID, time: t, messaging: [{ sender: { id: PSID }, recipient: { id: PAGE_ID }, timestamp: t + 5000, ...m }] }] });
    expect((await hook('messenger', receipt({ delivery: { mids: [mid.external_id], watermark: t + 4000 } }))).status).toBe(200);
    expect((await s.store.query<{ status: string }>('SELECT status FROM channel_messages WHERE external_id = $1', [mid.external_id])).rows[0]!.status).toBe('delivered');
    await hook('messenger', receipt({ read: { watermark: clock() + 60_000 } }));
    await hook('messenger', receipt({ read: { watermark: clock() + 60_000 } }));
    const reads = (await eventsOf(c!.id)).filter((e) => e.kind === 'read');
    expect(reads).toEqual([expect.objectContaining({ author_kind: 'visitor', data: { seq: mid.seq } })]);
  });

  it('refuses a bad signature with 401 and stores nothing', async () => {
    const before = await stored();
    const body = JSON.stringify(messengerText(clock(), 'mid.forged', 'forged'));
    for (const sig of [undefined, 'sha256=' + '0'.repeat(64), hubSignature('another-secret', body), 'sha1=' + hmacHex(APP_SECRET, body).slice(0, 40), hubSignature(APP_SECRET, body).toUpperCase(), hubSignature(APP_SECRET, body) + '0']) {
      const r = await fetch(`${s.url}/v1/channels/meta/${ids.messenger}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(sig ? { 'x-hub-signature-256': sig } : {}) }, body });
      expect(r.status, sig).toBe(401);
      expect((await r.json()).error.code).toBe('invalid_signature');
    }
    // The signature is over the raw bytes: the same JSON re-serialized differently does not verify.
    const r = await hook('messenger', body.replace('"forged"', '"forged" '), hubSignature(APP_SECRET, body));
    expect(r.status).toBe(401);
    expect(await stored()).toBe(before);
  });

  it('takes Instagram messages and replies to them on the Instagram account', async () => {
    expect((await hook('instagram', instagramText(clock()))).status).toBe(200);
    const [c] = await conversationOf(`instagram:${IGSID}`);
    expect(c!.channel).toBe('instagram');
    expect((await messages(c!.id)).map((m) => m.body)).toEqual(['Is the red one in stock?']);
    await owner.send(c!.id, 'ig-reply-1', 'Yes, in all sizes.');
    await until(() => graph.calls.some((g) => g.path === `/v21.0/${IG_ID}/messages`));
    const call = graph.calls.find((g) => g.path === `/v21.0/${IG_ID}/messages`)!;
    expect(call.headers.authorization).toBe(`Bearer ${TOKENS.instagram}`);
    expect(call.body).toEqual({ recipient: { id: IGSID }, messaging_type: 'RESPONSE', message: { text: 'Yes, in all sizes.' } });
  });

  it('takes WhatsApp messages, replies within the 24-hour window, moves statuses forward only, and outside the window says it cannot reply or sends the template', async () => {
    // A verified user whose phone trait is this number: the WhatsApp identity joins her profile.
    const secret = (await s.app.deps.sites.get('demo'))!.secret;
    await postJson(`${s.url}/v1/batch?site=demo`, { protocol: 1, sentAt: clock.iso(), batch: [{ type: 'identify', messageId: 'id-kerry', anonymousId: 'web-kerry', userId: 'u-kerry', userHash: hmacHex(secret, 'u-kerry'), traits: { phone: '+1 (631) 555-1181' }, timestamp: clock.iso(), context: { session: { id: 'sess-k' } } }] });
    const t = Math.floor(clock() / 1000);
    expect((await hook('whatsapp', whatsappText(t))).status).toBe(200);
    expect((await hook('whatsapp', whatsappText(t))).status).toBe(200);
    const [c] = await conversationOf(`whatsapp:${WA_ID}`);
    const [m] = await messages(c!.id);
    expect(m).toMatchObject({ author_kind: 'visitor', author_name: 'Kerry Fisher', body: 'this is a text message' });
    expect(await messages(c!.id)).toHaveLength(1);
    expect((await resolveCustomer(s.store, 'demo', 'u-kerry'))?.anonymousIds).toContain(`whatsapp:${WA_ID}`);

    await owner.send(c!.id, 'wa-reply-1', 'Your parcel left today.');
    await until(() => graph.calls.some((g) => g.path === `/v21.0/${PHONE_ID}/messages`));
    const call = graph.calls.find((g) => g.path === `/v21.0/${PHONE_ID}/messages`)!;
    expect(call.headers.authorization).toBe(`Bearer ${TOKENS.whatsapp}`);
    expect(call.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: WA_ID, type: 'text', text: { preview_url: false, body: 'Your parcel left today.' } });
    await until(async () => (await s.store.query("SELECT 1 FROM channel_messages WHERE channel = 'whatsapp' AND external_id LIKE 'wamid.out.%'")).rows.length === 1);
    const out = (await s.store.query<{ external_id: string; seq: number }>("SELECT external_id, seq FROM channel_messages WHERE channel = 'whatsapp' AND external_id LIKE 'wamid.out.%'")).rows[0]!;
    // Statuses arrive duplicated and out of order: read, then a late delivered, then read again.
    for (const st of ['read', 'delivered', 'read']) expect((await hook('whatsapp', whatsappStatus(out.external_id, st, t + 10))).status).toBe(200);
    expect((await s.store.query<{ status: string }>('SELECT status FROM channel_messages WHERE external_id = $1', [out.external_id])).rows[0]!.status).toBe('read');
    expect((await eventsOf(c!.id)).filter((e) => e.kind === 'read')).toEqual([expect.objectContaining({ author_kind: 'visitor', data: { seq: out.seq } })]);

    // 25 hours later the window is closed: nothing goes to Meta, the inbox says why.
    clock.advance(25 * 3_600_000);
    const calls = graph.calls.length;
    await owner.send(c!.id, 'wa-reply-2', 'Anything else?');
    const last = (await messages(c!.id)).at(-1)!;
    expect(last.author_kind).toBe('system');
    expect(last.body).toMatch(/more than 24 hours ago/);
    expect(last.data).toMatchObject({ cannotReply: true, reason: 'whatsapp_window' });
    // With an approved template set, the reply goes as that template.
    expect((await ownerPost('/channels', { kind: 'whatsapp', address: PHONE_ID, settings: { template: { name: 'order_follow_up', language: 'en_US' } } })).status).toBe(200);
    await owner.send(c!.id, 'wa-reply-3', 'Following up on your order.');
    await until(() => graph.calls.length > calls);
    expect(graph.calls.at(-1)!.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: WA_ID, type: 'template', template: { name: 'order_follow_up', language: { code: 'en_US' } } });
    clock.advance(-25 * 3_600_000);
  });

  it('shows a platform\'s refusal in the conversation instead of a reply that looks sent', async () => {
    const t = clock();
    const body = { object: 'page', entry: [{ id: PAGE_ID, time: t, messaging: [{ sender: { id: 'outside-window' }, recipient: { id: PAGE_ID }, timestamp: t, message: { mid: 'mid.window', text: 'hi' } }] }] };
    await hook('messenger', body);
    const [c] = await conversationOf('messenger:outside-window');
    await owner.send(c!.id, 'late-1', 'Sorry for the wait');
    await until(async () => (await messages(c!.id)).some((m) => m.author_kind === 'system' && /Not delivered/.test(m.body ?? '')));
    expect((await messages(c!.id)).at(-1)!.body).toMatch(/2018278/);
  });

  it('keeps signed hostile payloads storable and skips what is not for this account', async () => {
    const t = clock();
    const raw = `{"object":"page","__proto__":{"polluted":true},"entry":[{"id":"${PAGE_ID}","time":1e400,"messaging":[{"sender":{"id":"constructor"},"recipient":{"id":"${PAGE_ID}"},"timestamp":1e400,"message":{"mid":"mid.hostile","text":"nul\\u0000 and \\ud800 lone","deep":${'['.repeat(500)}${']'.repeat(500)}}}]},{"id":"999","messaging":[{"sender":{"id":"1"},"timestamp":${t},"message":{"mid":"mid.other-page","text":"not ours"}}]}]}`;
    const r = await hook('messenger', raw);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ stored: 1, skipped: 1 });
    const [c] = await conversationOf('messenger:constructor');
    expect((await messages(c!.id))[0]!.body).toBe('nul and \ufffd lone');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await s.store.query("SELECT 1 FROM channel_messages WHERE external_id = 'mid.other-page'").then((x) => x.rows.length)).toBe(0);
    // Signed but not JSON, or of another product: a clear answer, nothing stored.
    expect((await hook('messenger', '{"object":')).status).toBe(400);
    expect(await (await hook('messenger', whatsappText(1))).json()).toMatchObject({ received: 0 });
    // Huge numbers as WhatsApp timestamps: the message is kept, its time is ours.
    expect((await hook('whatsapp', whatsappText(1e300 as number, 'wamid.huge', 'big clock'))).status).toBe(200);
  });
});
