import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STORES } from '../support/stores.js';
import { startChannelsServer, mailbox } from '../support/channels-server.js';
import type { TestServer } from '../support/start-server.js';
import { testClock } from '../support/clock.js';
import { until } from '../support/until.js';
import { agent, postJson, visitor } from '../support/chat-client.js';
import { ensureAgents } from '../../server/agents.js';
import { hmacHex } from '../../server/lib/hmac.js';
import { resolveCustomer } from '../../server/customers/customer-profile.js';
import { stripQuotedReply } from '../../server/channels/strip-quoted-reply.js';
import { channelSender } from '../../server/channels/channel-sender.js';
import { autoReplyReason, replyHeaders, replySubject, threadCandidates } from '../../server/channels/mail-threading.js';

const SUPPORT = 'support@shop.test';
const INBOUND_PASSWORD = 'pm-inbound-secret-42';

describe('e-mail rules', () => {
  it('strips the quoted thread and the signature, keeping what the customer wrote', () => {
    expect(stripQuotedReply('Thanks, that works.\n\nOn Mon, 30 Nov 2026 at 10:00, Shop Support <support@shop.test> wrote:\n> It ships today.').reply).toBe('Thanks, that works.');
    expect(stripQuotedReply('Yes please.\n\n-----Original Message-----\nFrom: Shop\nSent: Monday').reply).toBe('Yes please.');
    expect(stripQuotedReply('Ok\n\nFrom: Shop Support <support@shop.test>\nSent: Monday, 30 November 2026 10:00\nTo: ada').reply).toBe('Ok');
    expect(stripQuotedReply('Great\n-- \nAda Lovelace\nAnalytical Engines Ltd').reply).toBe('Great');
    expect(stripQuotedReply('Merci !\n\nLe lun. 30 nov. 2026 à 10:00, Shop <support@shop.test> a écrit :\n> Bonjour').reply).toBe('Merci !');
    // Thunderbird's bare "> " quote at the end (Chatwoot #10616) goes too.
    expect(stripQuotedReply('Noted.\n\n> It ships today.\n> Shop').reply).toBe('Noted.');
    // Only a quote (a forward with nothing added): the whole text is the message.
    expect(stripQuotedReply('> only quoted').reply).toBe('> only quoted');
  });

  it('threads by In-Reply-To first, then References newest first, and builds a reply\'s headers by RFC 5322', () => {
    expect(threadCandidates('<c@x>', '<a@x> <b@x> <c@x>')).toEqual(['<c@x>', '<b@x>', '<a@x>']);
    expect(threadCandidates(undefined, 'junk <a@x> more junk')).toEqual(['<a@x>']);
    expect(replyHeaders({ messageId: '<c@x>', references: ['<a@x>', '<b@x>'] })).toEqual({ inReplyTo: '<c@x>', references: ['<a@x>', '<b@x>', '<c@x>'] });
    const long = replyHeaders({ messageId: '<p@x>', references: Array.from({ length: 40 }, (_, i) => `<${i}@x>`) }).references;
    expect(long).toHaveLength(20);
    expect(long[0]).toBe('<0@x>');
    expect(long.at(-1)).toBe('<p@x>');
    expect(replySubject('RE: Fwd: Re: Order 42')).toBe('Re: Order 42');
    expect(replySubject(undefined)).toBe('Re: your message');
  });

  it('knows a machine\'s mail: Auto-Submitted other than no, Precedence bulk, vendor flags, bounces', () => {
    const h = (o: Record<string, string>) => new Map(Object.entries(o));
    expect(autoReplyReason(h({ 'auto-submitted': 'auto-replied' }))).toMatch(/Auto-Submitted/);
    expect(autoReplyReason(h({ 'auto-submitted': 'no' }))).toBeUndefined();
    expect(autoReplyReason(h({ precedence: 'bulk' }))).toMatch(/Precedence/);
    expect(autoReplyReason(h({ 'x-autoreply': 'yes' }))).toBeDefined();
    expect(autoReplyReason(h({ 'x-failed-recipients': 'ada@example.com' }))).toBeDefined();
    expect(autoReplyReason(h({ 'content-type': 'multipart/report; report-type=delivery-status' }))).toBeDefined();
    expect(autoReplyReason(h({ subject: 'hello' }))).toBeUndefined();
  });
});

describe.each(STORES)('the e-mail channel on $name', ({ databaseUrl }) => {
  const clock = testClock('2026-11-30T10:00:00.000Z');
  let s: TestServer & { smtpPort: number };
  let customer: Awaited<ReturnType<typeof mailbox>>;
  let accountId: string;
  let owner: Awaited<ReturnType<typeof agent>>;
  const smtp = () => nodemailer.createTransport({ host: '127.0.0.1', port: s.smtpPort, secure: false, ignoreTLS: true });
  const conversationsOf = async (anon: string) =>
    (await s.store.query<{ id: string; status: string; channel: string; visitor_email: string | null }>('SELECT id, status, channel, visitor_email FROM conversations WHERE anonymous_id = $1 ORDER BY created_at, id', [anon])).rows;
  const eventsOf = async (id: string) =>
    (await s.store.query<{ seq: number; kind: string; author_kind: string; author_name: string | null; body: string | null; data: Record<string, unknown> | null }>('SELECT seq, kind, author_kind, author_name, body, data FROM chat_events WHERE conversation_id = $1 ORDER BY seq', [id])).rows;
  const messages = async (id: string) => (await eventsOf(id)).filter((e) => e.kind === 'message');
  const deliveries = async () => Number((await s.store.query<{ n: number }>("SELECT count(*)::int AS n FROM deliveries WHERE kind = 'mail'")).rows[0]!.n);

  beforeAll(async () => {
    customer = await mailbox();
    s = await startChannelsServer({ databaseUrl: await databaseUrl(), now: clock, relayPort: customer.port });
    await ensureAgents(s.store, 'owner@shop.test:owner-pass-1:Olive:owner;andy@shop.test:agent-pass-1:Andy:agent');
    owner = await agent(s.url, 'owner@shop.test', 'owner-pass-1');
    const r = await postJson(`${s.url}/v1/agent/sites/demo/channels`, { kind: 'email', address: 'Support@Shop.test', name: 'Shop Support', secrets: { inboundPassword: INBOUND_PASSWORD } }, { cookie: owner.cookie, 'content-type': 'application/json' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    accountId = r.body.account.id;
    // A verified user of the site whose e-mail trait is Ada's address: her mail joins her profile.
    const secret = (await s.app.deps.sites.get('demo'))!.secret;
    const batch = await postJson(`${s.url}/v1/batch?site=demo`, {
      protocol: 1,
      sentAt: clock.iso(),
      batch: [{ type: 'identify', messageId: 'id-ada-1', anonymousId: 'web-ada', userId: 'u-ada', userHash: hmacHex(secret, 'u-ada'), traits: { email: 'ADA@example.com' }, timestamp: clock.iso(-60_000), context: { session: { id: 'sess-ada' } } }],
    });
    expect(batch.status, JSON.stringify(batch.body)).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await customer?.close();
  });

  it('shows owners the account without its secrets, and refuses agents without the role', async () => {
    const list = await fetch(`${s.url}/v1/agent/sites/demo/channels`, { headers: { cookie: owner.cookie } }).then((r) => r.text());
    expect(list).toContain(SUPPORT);
    expect(list).toContain('inboundPassword');
    expect(list).not.toContain(INBOUND_PASSWORD);
    const andy = await agent(s.url, 'andy@shop.test', 'agent-pass-1');
    expect((await fetch(`${s.url}/v1/agent/sites/demo/channels`, { headers: { cookie: andy.cookie } })).status).toBe(403);
    const add = await postJson(`${s.url}/v1/agent/sites/demo/channels`, { kind: 'email', address: 'evil@shop.test' }, { cookie: andy.cookie, 'content-type': 'application/json' });
    expect(add.status).toBe(403);
  });

  it('refuses a malformed channel account with the documented error and its path, storing nothing', async () => {
    const post = (body: unknown) => postJson(`${s.url}/v1/agent/sites/demo/channels`, body, { cookie: owner.cookie, 'content-type': 'application/json' });
    const cases: [unknown, string][] = [
      [{ kind: 'fax', address: 'a@b.test' }, '/kind'],
      [{ kind: 'email', address: 'not an address' }, '/address'],
      [{ kind: 'whatsapp', address: 'support@shop.test' }, '/address'],
      [{ kind: 'email', address: 'x'.repeat(321) }, '/address'],
      [{ kind: 'email', address: 'a@b.test', secrets: [] }, '/secrets'],
      [{ kind: 'email', address: 'a@b.test', secrets: { inboundPassword: 7 } }, '/secrets/inboundPassword'],
      [{ kind: 'email', address: 'a@b.test', secrets: { __proto__: 'x', constructor: 'y' } }, '/secrets/constructor'],
      [{ kind: 'whatsapp', address: '123', settings: { template: { name: 'Bad Name', language: 'en_US' } } }, '/settings/template/name'],
      [{ kind: 'messenger', address: '123', settings: { graphVersion: 'v1; drop' } }, '/settings/graphVersion'],
      [{ kind: 'email', address: 'a@b.test', name: 'a\u0000b' }, '/name'],
      [{ kind: 'email', address: 'a@b.test', extra: 1 }, '/extra'],
    ];
    for (const [body, path] of cases) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('invalid_body');
      expect(r.body.error.path, JSON.stringify(body)).toBe(path);
    }
    const text = await post(undefined as unknown as object);
    expect(text.status).toBe(400);
    const n = await s.store.query<{ n: number }>("SELECT count(*)::int AS n FROM channel_accounts WHERE site_key = 'demo'");
    expect(n.rows[0]!.n).toBe(1);
  });

  it('takes a real mail by SMTP into the inbox, replies through the relay with threading headers, and threads the answer to that reply', async () => {
    await smtp().sendMail({
      from: 'Ada Lovelace <ada@example.com>',
      to: SUPPORT,
      subject: 'Where is my order?',
      messageId: '<first.ada@example.com>',
      text: 'Hi, order 42 has not arrived yet.\n\nSent from my iPhone',
    });
    const [c] = await conversationsOf('email:ada@example.com');
    expect(c).toMatchObject({ channel: 'email', status: 'pending', visitor_email: 'ada@example.com' });
    const [first] = await messages(c!.id);
    expect(first).toMatchObject({ author_kind: 'visitor', author_name: 'Ada Lovelace', body: 'Hi, order 42 has not arrived yet.' });
    expect((first!.data!.email as { messageId: string }).messageId).toBe('<first.ada@example.com>');

    // One customer: the address is the verified user's e-mail trait.
    const profile = await resolveCustomer(s.store, 'demo', 'u-ada');
    expect(profile?.anonymousIds).toContain('email:ada@example.com');
    const audit = (await s.store.query<{ how: string }>('SELECT how FROM identity_links WHERE anonymous_id = $1', ['email:ada@example.com'])).rows;
    expect(audit).toEqual([{ how: 'verified email trait' }]);

    const sent = await owner.send(c!.id, 'reply-1', 'It ships today, tracking follows.');
    expect(sent.status).toBe(200);
    await until(() => customer.got.length === 1);
    const out = customer.got[0]!;
    expect(out.envelopeTo).toEqual(['ada@example.com']);
    expect(out.mail.from?.value[0]).toMatchObject({ address: SUPPORT, name: 'Shop Support' });
    expect(out.mail.subject).toBe('Re: Where is my order?');
    expect(out.mail.inReplyTo).toBe('<first.ada@example.com>');
    expect(out.mail.references).toBe('<first.ada@example.com>');
    expect(out.mail.messageId).toMatch(/^<tp\.[\w-]+\.\d+@shop\.test>$/);
    expect(out.mail.text?.trim()).toBe('It ships today, tracking follows.');

    // Her answer, from a client that quotes the whole thread.
    await smtp().sendMail({
      from: 'Ada Lovelace <ada@example.com>',
      to: SUPPORT,
      subject: out.mail.subject,
      messageId: '<second.ada@example.com>',
      inReplyTo: out.mail.messageId,
      references: ['<first.ada@example.com>', out.mail.messageId!],
      text: `Thank you!\n\nOn Mon, 30 Nov 2026 at 10:01, Shop Support <${SUPPORT}> wrote:\n> It ships today, tracking follows.`,
    });
    expect(await conversationsOf('email:ada@example.com')).toHaveLength(1);
    const all = await messages(c!.id);
    expect(all.map((m) => m.body)).toEqual(['Hi, order 42 has not arrived yet.', 'It ships today, tracking follows.', 'Thank you!']);
    const email = all[2]!.data!.email as { threadedBy: string; original: string };
    expect(email.threadedBy).toBe(`In-Reply-To ${out.mail.messageId}`);
    expect(email.original).toContain('> It ships today');

    // The second reply chains References through the whole thread.
    await owner.send(c!.id, 'reply-2', 'You are welcome.');
    await until(() => customer.got.length === 2);
    expect(customer.got[1]!.mail.inReplyTo).toBe('<second.ada@example.com>');
    expect(customer.got[1]!.mail.references).toEqual(['<first.ada@example.com>', out.mail.messageId, '<second.ada@example.com>']);
  });

  it('sends an agent\'s file in the e-mail conversation as an attachment of a threaded reply, the bytes unchanged', async () => {
    const [c] = await conversationsOf('email:ada@example.com');
    const before = customer.got.length;
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF');
    const name = 'reçu 42.pdf';
    const r = await fetch(`${s.url}/v1/agent/conversations/${c!.id}/attachments?clientId=mail-file-1&name=${encodeURIComponent(name)}`, { method: 'POST', headers: { cookie: owner.cookie, 'content-type': 'application/pdf' }, body: new Uint8Array(pdf) });
    expect(r.status, await r.clone().text()).toBe(200);
    await until(() => customer.got.length === before + 1);
    const out = customer.got.at(-1)!;
    expect(out.envelopeTo).toEqual(['ada@example.com']);
    expect(out.mail.subject).toBe('Re: Where is my order?');
    // It answers the thread's last message (our "You are welcome."), like a typed reply.
    expect(out.mail.inReplyTo).toBe(customer.got[before - 1]!.mail.messageId);
    expect(out.mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([[name, 'application/pdf']]);
    expect(out.mail.attachments[0]!.content.equals(pdf)).toBe(true);
    const row = (await s.store.query<{ status: string }>("SELECT status FROM channel_messages WHERE conversation_id = $1 AND direction = 'out' AND external_id = $2", [c!.id, out.mail.messageId])).rows[0];
    expect(row?.status).toBe('sent');
  });

  it('does not send a reply whose file was deleted while it waited, and says so in the conversation', async () => {
    const [c] = await conversationsOf('email:ada@example.com');
    const before = customer.got.length;
    const send = channelSender(s.store, () => s.app.deps.chat, { relay: { host: '127.0.0.1', port: customer.port, secure: false, ignoreTLS: true } }, s.app.deps.files);
    const payload = { accountId, conversationId: c!.id, seq: 999, to: 'ada@example.com', subject: 'Re: x', text: '', messageId: '<tp.gone@shop.test>', references: [], files: [{ sha256: 'f'.repeat(64), filename: 'gone.pdf', contentType: 'application/pdf' }] };
    const r = await send({ id: 'd-gone', siteKey: 'demo', kind: 'mail', target: accountId, payload, final: false });
    send.close();
    expect(r).toEqual({ status: 410, error: 'the attached file was deleted before the mail left' });
    const note = (await messages(c!.id)).at(-1)!;
    expect(note).toMatchObject({ author_kind: 'system', body: 'Not delivered: the attached file was deleted before the mail left' });
    expect(customer.got.length).toBe(before);
  });

  it('answers a reply with files 503 when no relay is configured, without reading the files', async () => {
    const [c] = await conversationsOf('email:ada@example.com');
    const read: string[] = [];
    const files = { read: async (sha: string) => (read.push(sha), s.app.deps.files.read(sha)) };
    const send = channelSender(s.store, () => s.app.deps.chat, {}, files);
    const payload = { accountId, conversationId: c!.id, seq: 998, to: 'ada@example.com', subject: 'Re: x', text: '', messageId: '<tp.norelay@shop.test>', references: [], files: [{ sha256: 'e'.repeat(64), filename: 'a.pdf', contentType: 'application/pdf' }] };
    const r = await send({ id: 'd-norelay', siteKey: 'demo', kind: 'mail', target: accountId, payload, final: false });
    send.close();
    expect(r).toEqual({ status: 503, error: 'no SMTP relay configured (TOUCHPOINT_SMTP_RELAY)' });
    expect(read).toEqual([]);
  });

  it('shows one customer who wrote on web chat, then by e-mail: one profile, both conversations on its timeline', async () => {
    const secret = (await s.app.deps.sites.get('demo'))!.secret;
    const web = await visitor(s.url, 'web-ada', 'demo', { userId: 'u-ada', userHash: hmacHex(secret, 'u-ada') });
    expect((await web.start('web-chat-1', 'Do you ship to Romania?')).status).toBe(200);
    const profile = await fetch(`${s.url}/v1/agent/sites/demo/customers/u-ada`, { headers: { cookie: owner.cookie } }).then((r) => r.json());
    const conversations = (profile.timeline as { kind: string; label: string; detail?: string }[]).filter((t) => t.kind === 'conversation');
    expect(conversations.map((c) => c.label.replace(/, \w+\)$/, ')')).sort()).toEqual(['Conversation (email)', 'Conversation (web)']);
    expect(conversations.find((c) => c.label.includes('email'))!.detail).toBe('Hi, order 42 has not arrived yet.');
    // The e-mail identity is found from either side.
    expect((await resolveCustomer(s.store, 'demo', 'email:ada@example.com'))?.userId).toBe('u-ada');
  });

  it('links a channel identity to a customer by hand, audited, for owners only', async () => {
    const link = await postJson(`${s.url}/v1/agent/sites/demo/identities`, { anonymousId: 'email:bob@example.com', userId: 'u-bob' }, { cookie: owner.cookie, 'content-type': 'application/json' });
    expect(link.status, JSON.stringify(link.body)).toBe(200);
    expect((await resolveCustomer(s.store, 'demo', 'u-bob'))?.anonymousIds).toEqual(['email:bob@example.com']);
    const audit = (await s.store.query<{ how: string; agent_id: string | null }>('SELECT how, agent_id FROM identity_links WHERE user_id = $1', ['u-bob'])).rows;
    expect(audit).toEqual([{ how: 'by hand', agent_id: expect.any(String) }]);
    const andy = await agent(s.url, 'andy@shop.test', 'agent-pass-1');
    expect((await postJson(`${s.url}/v1/agent/sites/demo/identities`, { anonymousId: 'email:x@example.com', userId: 'u-x' }, { cookie: andy.cookie, 'content-type': 'application/json' })).status).toBe(403);
    expect((await postJson(`${s.url}/v1/agent/sites/demo/identities`, { anonymousId: 'web-anything', userId: 'u-x' }, { cookie: owner.cookie, 'content-type': 'application/json' })).status).toBe(400);
  });

  it('stores a mail delivered twice (a retrying sender) once', async () => {
    const mail = { from: 'bob@example.com', to: SUPPORT, subject: 'Refund', messageId: '<once.bob@example.com>', text: 'Please refund order 7.' };
    await smtp().sendMail(mail);
    await smtp().sendMail(mail);
    const cs = await conversationsOf('email:bob@example.com');
    expect(cs).toHaveLength(1);
    expect((await messages(cs[0]!.id)).map((m) => m.body)).toEqual(['Please refund order 7.']);
  });

  it('never answers or reopens for an auto-reply, and a bulk mail is nobody\'s work', async () => {
    const [c] = await conversationsOf('email:ada@example.com');
    await owner.close(c!.id);
    const before = await deliveries();
    await smtp().sendMail({
      from: 'ada@example.com',
      to: SUPPORT,
      subject: 'Out of office: Re: Where is my order?',
      inReplyTo: customer.got[1]!.mail.messageId,
      headers: { 'Auto-Submitted': 'auto-replied' },
      text: 'I am away until Monday.',
    });
    const ev = await eventsOf(c!.id);
    expect(ev.at(-1)).toMatchObject({ kind: 'message', body: 'I am away until Monday.' });
    expect((ev.at(-1)!.data!.email as { auto: string }).auto).toBe('Auto-Submitted: auto-replied');
    expect((await conversationsOf('email:ada@example.com'))[0]!.status).toBe('closed');
    await smtp().sendMail({ from: 'news@vendor.example', to: SUPPORT, subject: 'Our November deals', headers: { Precedence: 'bulk' }, text: 'Deals!' });
    const [bulk] = await conversationsOf('email:news@vendor.example');
    expect(bulk!.status).toBe('closed');
    expect(await deliveries()).toBe(before);
  });

  it('refuses mail for an address that is not a support address (no open relay) and drops a loop from our own address', async () => {
    await expect(smtp().sendMail({ from: 'x@example.com', to: 'someone-else@elsewhere.test', subject: 'relay?', text: 'x' })).rejects.toMatchObject({ responseCode: 550 });
    await smtp().sendMail({ from: SUPPORT, to: SUPPORT, subject: 'loop', text: 'looping' });
    expect(await conversationsOf(`email:${SUPPORT}`)).toHaveLength(0);
  });

  it('keeps hostile mail storable: NUL bytes, lone surrogates, a huge header, names like constructor', async () => {
    const raw = [
      'From: constructor <__proto__@example.com>',
      `To: ${SUPPORT}`,
      'Subject: =?UTF-8?B?' + Buffer.from('bad\u0000subject').toString('base64') + '?=',
      'Message-ID: <hostile.1@example.com>',
      `References: ${'<x@y> '.repeat(2000)}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'nul:\u0000 here',
      '',
    ].join('\r\n');
    await smtp().sendMail({ envelope: { from: '__proto__@example.com', to: [SUPPORT] }, raw });
    const [c] = await conversationsOf('email:__proto__@example.com');
    const [m] = await messages(c!.id);
    expect(m!.body).toBe('nul: here');
    expect(m!.author_name).toBe('constructor');
  });

  it('accepts Postmark\'s inbound webhook with its basic-auth password, once per message, and refuses a wrong password storing nothing', async () => {
    const url = `${s.url}/v1/channels/email/${accountId}/postmark`;
    const auth = (p: string) => `Basic ${Buffer.from(`inbound:${p}`).toString('base64')}`;
    const body = {
      FromName: 'Cleo',
      From: 'cleo@example.com',
      FromFull: { Email: 'cleo@example.com', Name: 'Cleo', MailboxHash: '' },
      ToFull: [{ Email: SUPPORT, Name: '', MailboxHash: '' }],
      OriginalRecipient: SUPPORT,
      Subject: 'Size exchange',
      MessageID: '73e6d360-66eb-11e1-8e72-a8904824019b',
      Date: 'Mon, 30 Nov 2026 10:05:00 +0000',
      TextBody: 'Can I swap for a 39?\n\nOn Sun, Shop wrote:\n> hi',
      HtmlBody: '<p>Can I swap for a 39?</p>',
      StrippedTextReply: 'Can I swap for a 39?',
      Headers: [{ Name: 'Message-ID', Value: '<pm.cleo@example.com>' }, { Name: 'X-Spam-Status', Value: 'No' }],
      Attachments: [{ Name: 'receipt.pdf', Content: Buffer.from('%PDF').toString('base64'), ContentType: 'application/pdf', ContentLength: 4 }],
    };
    const post = (b: unknown, password: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth(password) }, body: JSON.stringify(b) });
    const wrong = await post(body, 'guess');
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe('invalid_signature');
    expect(await conversationsOf('email:cleo@example.com')).toHaveLength(0);
    expect((await post(body, INBOUND_PASSWORD)).status).toBe(200);
    expect((await post(body, INBOUND_PASSWORD)).status).toBe(200);
    const [c] = await conversationsOf('email:cleo@example.com');
    const ms = await messages(c!.id);
    expect(ms).toHaveLength(1);
    expect(ms[0]!.body).toBe('Can I swap for a 39?');
    expect((ms[0]!.data!.email as { attachments: unknown[] }).attachments).toEqual([{ filename: 'receipt.pdf', contentType: 'application/pdf', size: 4 }]);

    // Hostile JSON: NUL and a lone surrogate in text, a number past double range, keys like __proto__.
    const hostile = `{"FromFull":{"Email":"dan@example.com","Name":"constructor"},"ToFull":[{"Email":"${SUPPORT}"}],"Subject":"__proto__","Headers":[{"Name":"Message-ID","Value":"<pm.dan@example.com>"}],"TextBody":"a\\u0000b \\ud800 c","Attachments":[{"Name":"x","ContentLength":1e400}],"__proto__":{"polluted":true}}`;
    const h = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth(INBOUND_PASSWORD) }, body: hostile });
    expect(h.status).toBe(200);
    const [d] = await conversationsOf('email:dan@example.com');
    const [dm] = await messages(d!.id);
    expect(dm!.body).toBe('ab \ufffd c');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const garbage = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth(INBOUND_PASSWORD) }, body: '{"x":' });
    expect(garbage.status).toBe(400);
    expect((await fetch(`${s.url}/v1/channels/email/constructor/postmark`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
  });

  it('serves a mailed file to agents as what its bytes are: an image inline, anything else a download, nothing runnable', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a1d2b3d40000000049454e44ae426082', 'hex');
    const html = Buffer.from('<script>parent.document.cookie</script>');
    await smtp().sendMail({
      from: 'Eve <eve@example.com>',
      to: SUPPORT,
      subject: 'Photos of the damage',
      messageId: '<files.eve@example.com>',
      text: 'See attached.',
      attachments: [
        { filename: 'box.png', content: png, contentType: 'image/png' },
        // Declared a picture, really a page: must never be served as either.
        { filename: 'fake "photo".png', content: html, contentType: 'image/png' },
        { filename: 'facture é.pdf', content: Buffer.from('%PDF-1.4\n%%EOF'), contentType: 'application/pdf' },
      ],
    });
    const [c] = await conversationsOf('email:eve@example.com');
    const [m] = await messages(c!.id);
    expect((m!.data!.email as { attachments: { filename: string }[] }).attachments.map((a) => a.filename)).toEqual(['box.png', 'fake "photo".png', 'facture é.pdf']);
    const seq = m!.seq;
    const file = (i: number | string, headers: Record<string, string> = { cookie: owner.cookie }) => fetch(`${s.url}/v1/agent/conversations/${c!.id}/attachments/${seq}/${i}`, { headers });

    const image = await file(0);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toMatch(/^inline; filename="box.png"/);
    expect(image.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await image.arrayBuffer()).equals(png)).toBe(true);

    const fake = await file(1);
    expect(fake.headers.get('content-type')).toBe('application/octet-stream');
    expect(fake.headers.get('content-disposition')).toMatch(/^attachment; filename="fake _photo_.png"/);
    expect(await fake.text()).toBe(html.toString());

    const pdf = await file(2);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename="facture _.pdf"; filename*=UTF-8''${encodeURIComponent('facture é.pdf')}`);

    // Postmark's attachments come from the webhook's JSON the same way.
    const hook = await fetch(`${s.url}/v1/channels/email/${accountId}/postmark`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`inbound:${INBOUND_PASSWORD}`).toString('base64')}` },
      body: JSON.stringify({ FromFull: { Email: 'finn@example.com', Name: 'Finn' }, ToFull: [{ Email: SUPPORT }], Subject: 'Receipt', TextBody: 'Here it is.', Headers: [{ Name: 'Message-ID', Value: '<pm.finn@example.com>' }], Attachments: [{ Name: 'receipt.pdf', Content: Buffer.from('%PDF').toString('base64'), ContentType: 'application/pdf', ContentLength: 4 }] }),
    });
    expect(hook.status).toBe(200);
    const [finn] = await conversationsOf('email:finn@example.com');
    const [fm] = await messages(finn!.id);
    const receipt = await fetch(`${s.url}/v1/agent/conversations/${finn!.id}/attachments/${fm!.seq}/0`, { headers: { cookie: owner.cookie } });
    expect(receipt.status).toBe(200);
    expect(await receipt.text()).toBe('%PDF');

    // Signed out, out of range, hostile: clear answers, never a 500.
    expect((await file(0, {})).status).toBe(401);
    expect((await file(3)).status).toBe(404);
    for (const bad of ['-1', 'abc', '1e3', '%00']) expect((await file(bad)).status, bad).toBe(400);
    const web = await fetch(`${s.url}/v1/agent/conversations/${c!.id}/attachments/1/0`, { headers: { cookie: owner.cookie } });
    expect(web.status).toBe(404);
    expect((await fetch(`${s.url}/v1/agent/conversations/%00/attachments/${seq}/0`, { headers: { cookie: owner.cookie } })).status).toBeLessThan(500);
    for (const id of ['constructor', '__proto__', 'toString']) expect((await fetch(`${s.url}/v1/agent/conversations/${id}/attachments/${seq}/0`, { headers: { cookie: owner.cookie } })).status, id).toBe(404);
    // An altered session cookie is a stranger.
    expect((await file(0, { cookie: `${owner.cookie.slice(0, -1)}${owner.cookie.endsWith('0') ? '1' : '0'}` })).status).toBe(401);
  });
});

describe('the SMTP listener\'s TLS', () => {
  it('offers STARTTLS with the configured certificate, and offers none without one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-smtp-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=mx.shop.test'], { stdio: 'ignore' });
    const clock = testClock('2026-11-30T10:00:00.000Z');
    const tls = await startChannelsServer({ now: clock, smtpTls: { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') } });
    const plain = await startChannelsServer({ now: clock });
    try {
      for (const s of [tls, plain]) await s.app.deps.store.query("INSERT INTO channel_accounts (id, site_key, kind, address, created_at) VALUES ('acc-tls', 'demo', 'email', $1, $2)", [SUPPORT, clock.iso()]);
      // requireTLS: the client upgrades with STARTTLS or sends nothing.
      const client = (port: number) => nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false } });
      const info = await client(tls.smtpPort).sendMail({ from: 'tls@example.com', to: SUPPORT, subject: 'over TLS', text: 'secret order details' });
      expect(info.response).toMatch(/^250/);
      expect((await tls.store.query<{ n: number }>("SELECT count(*)::int AS n FROM conversations WHERE anonymous_id = 'email:tls@example.com'")).rows[0]!.n).toBe(1);
      // Without a certificate STARTTLS is not offered: a client that requires TLS gives up before sending anything.
      await expect(client(plain.smtpPort).sendMail({ from: 'tls@example.com', to: SUPPORT, subject: 'x', text: 'x' })).rejects.toThrow(/STARTTLS/i);
      expect((await plain.store.query<{ n: number }>('SELECT count(*)::int AS n FROM conversations')).rows[0]!.n).toBe(0);
    } finally {
      await tls.close();
      await plain.close();
    }
  }, 60_000);
});
