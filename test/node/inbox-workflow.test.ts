import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { SseClient } from '../support/sse-client.js';
import { testClock } from '../support/clock.js';
import { postJson, visitor } from '../support/chat-client.js';
import { upsertAgent } from '../../server/agents.js';
import { channelVisitor } from '../../server/chat/channel-visitor.js';

const START = '2026-03-02T09:00:00.000Z';
/** A real 1×1 PNG: what the attachment sniffer accepts. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** An agent's JSON client: cookie session, every verb. */
const signIn = async (base: string, email: string, password: string) => {
  const r = await postJson(`${base}/v1/agent/login`, { email, password }, { 'content-type': 'application/json' });
  if (r.status !== 200) throw new Error(`login ${r.status}`);
  const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}/v1/agent${path}`, { method, headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    id: (r.body as { agent: { id: string } }).agent.id,
    cookie,
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown = {}) => call('POST', path, body),
    put: (path: string, body: unknown) => call('PUT', path, body),
    del: (path: string) => call('DELETE', path),
    list: async (query = '') => (await call('GET', `/conversations?site=demo${query}`)).body as { conversations: Summary[]; counts: Record<string, number> },
  };
};

interface Summary {
  id: string;
  state: string;
  status: string;
  assigneeId: string | null;
  teamId: string | null;
  labels: string[];
  lastMessage: string | null;
  customerName: string | null;
  slaBreached: boolean;
  slaDueAt: string | null;
}

describe.each(STORES)('the inbox workflow on $name', ({ databaseUrl }) => {
  let s: TestServer;
  const clock = testClock(START);
  let ada: Awaited<ReturnType<typeof signIn>>;
  let bob: Awaited<ReturnType<typeof signIn>>;
  let cy: Awaited<ReturnType<typeof signIn>>;
  const streams: SseClient[] = [];
  const sse = (url: string, headers?: Record<string, string>) => {
    const c = new SseClient(url, headers);
    streams.push(c);
    return c;
  };
  /** A visitor who asked for a person: the conversation is the agents' work. */
  const handedOver = async (anon: string, words = 'I need a person please') => {
    const v = await visitor(s.url, anon);
    const id = (await v.start(`c-${anon}`, words)).body.conversation.id as string;
    await v.send(id, `h-${anon}`, 'talk to a person');
    return { v, id };
  };
  const row = async (a: typeof ada, id: string, query = '') => (await a.list(query)).conversations.find((c) => c.id === id);

  beforeAll(async () => {
    s = await startServer({ databaseUrl: await databaseUrl(), now: clock });
    await upsertAgent(s.store, 'ada@shop.example', 'ada-password-1', 'Ada', 'owner');
    await upsertAgent(s.store, 'bob@shop.example', 'bob-password-1', 'Bob', 'agent');
    await upsertAgent(s.store, 'cy@shop.example', 'cy-password-1', 'Cy', 'agent');
    ada = await signIn(s.url, 'ada@shop.example', 'ada-password-1');
    bob = await signIn(s.url, 'bob@shop.example', 'bob-password-1');
    cy = await signIn(s.url, 'cy@shop.example', 'cy-password-1');
  }, 60_000);
  afterAll(async () => {
    streams.forEach((c) => c.close());
    await s?.close();
  });

  it('puts a conversation on hold for the customer, snoozes it until a time on the server clock, and reopens it then or on a visitor message', async () => {
    const { v, id } = await handedOver('anon-states');
    expect((await row(ada, id))!.state).toBe('open');
    expect((await ada.post(`/conversations/${id}/state`, { state: 'pending' })).status).toBe(200);
    expect((await row(ada, id))!.state).toBe('pending');
    // The visitor sees no change for a hold: the wire status stays what it was.
    const before = (await v.events(id)).body.events as { kind: string }[];
    // Their answer ends the hold.
    await v.send(id, 'answer-1', 'here is my order number 7781');
    expect((await row(ada, id))!.state).toBe('open');
    expect((await v.events(id)).body.events.length).toBe(before.length + 1);

    // Snoozed until 10:00 by the server clock: still snoozed at 09:59, open at 10:00 without anyone writing.
    expect((await ada.post(`/conversations/${id}/state`, { state: 'snoozed', until: '2026-03-02T10:00:00.000Z' })).status).toBe(200);
    expect((await row(ada, id, '&state=snoozed'))!.state).toBe('snoozed');
    clock.set('2026-03-02T09:59:59.000Z');
    expect((await row(ada, id))!.state).toBe('snoozed');
    clock.set('2026-03-02T10:00:00.000Z');
    expect((await row(ada, id))!.state).toBe('open');
    expect((await s.store.query<{ hold: string | null }>('SELECT hold FROM conversations WHERE id = $1', [id])).rows[0]!.hold).toBeNull();

    // Snoozed until tomorrow, the visitor writes: open at once.
    await ada.post(`/conversations/${id}/state`, { state: 'snoozed', until: '2026-03-03T10:00:00.000Z' });
    await v.send(id, 'answer-2', 'any news?');
    expect((await row(ada, id))!.state).toBe('open');

    // Resolved: the visitor sees the chat closed; their next message reopens it for the agents.
    await ada.post(`/conversations/${id}/state`, { state: 'resolved' });
    expect((await row(ada, id))!.state).toBe('resolved');
    const closed = (await v.events(id)).body.events.at(-1) as { kind: string; data: { status: string } };
    expect(closed).toMatchObject({ kind: 'status', data: { status: 'closed' } });
    await v.send(id, 'answer-3', 'one more thing');
    expect((await row(ada, id))!.state).toBe('open');
    expect(((await v.events(id)).body.events as { kind: string; data?: { status: string } }[]).filter((e) => e.kind === 'status').at(-1)!.data!.status).toBe('pending');
  });

  it('refuses a snooze without a time, in the past or over a year ahead, and a state for the bot’s conversation', async () => {
    const { id } = await handedOver('anon-bad-states');
    const now = clock();
    for (const [body, path] of [
      [{ state: 'snoozed' }, '/until'],
      [{ state: 'snoozed', until: new Date(now - 1000).toISOString() }, '/until'],
      [{ state: 'snoozed', until: new Date(now + 400 * 86_400_000).toISOString() }, '/until'],
      [{ state: 'snoozed', until: 'tomorrow' }, '/until'],
      [{ state: 'bot' }, '/state'],
      [{ state: 'open', extra: '\u0000' }, '/extra'],
    ] as const) {
      const r = await ada.post(`/conversations/${id}/state`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'invalid_body', path });
    }
    const v = await visitor(s.url, 'anon-with-bot');
    const botOwned = (await v.start('c-with-bot', 'hello')).body.conversation.id;
    expect((await ada.post(`/conversations/${botOwned}/state`, { state: 'pending' })).body.error).toMatchObject({ code: 'invalid_body', path: '/state' });
    // Ids that are not ids, and object-property names, are 400 or 404 — never a 500.
    expect((await ada.post('/conversations/__proto__/state', { state: 'open' })).status).toBe(400);
    expect((await ada.post('/conversations/00000000-0000-4000-8000-000000000000/state', { state: 'open' })).status).toBe(404);
    expect((await ada.post(`/conversations/${encodeURIComponent("x' OR 1=1 --")}/state`, { state: 'open' })).status).toBe(400);
    expect((await fetch(`${s.url}/v1/agent/conversations/${id}/state`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"state":"open"}' })).status).toBe(401);
  });

  it('assigns by hand, round-robin among the team’s online agents, and never to an offline one', async () => {
    const team = (await ada.post('/sites/demo/teams', { name: 'Support', memberIds: [ada.id, bob.id, cy.id, 'no-such-agent'] })).body.team as { id: string; memberIds: string[] };
    expect(team.memberIds.sort()).toEqual([ada.id, bob.id, cy.id].sort());
    // An agent (not an owner) may not change teams or the site's rules.
    expect((await bob.post('/sites/demo/teams', { name: 'Mine', memberIds: [] })).status).toBe(403);
    expect((await bob.put('/sites/demo/inbox-settings', { assignment: 'manual', teamId: null, slaFirstResponseSeconds: null })).status).toBe(403);
    expect((await ada.put('/sites/demo/inbox-settings', { assignment: 'round_robin', teamId: null, slaFirstResponseSeconds: null })).body.error).toMatchObject({ path: '/teamId' });
    expect((await ada.put('/sites/demo/inbox-settings', { assignment: 'round_robin', teamId: team.id, slaFirstResponseSeconds: null })).status).toBe(200);

    // Ada and Bob have consoles open (online); Cy has none.
    for (const a of [ada, bob]) {
      const st = sse(`${s.url}/v1/agent/stream`, { cookie: a.cookie });
      await st.waitFor(() => st.of('ready').length === 1);
    }
    const got: (string | null)[] = [];
    for (const n of [1, 2, 3, 4]) {
      const { id } = await handedOver(`anon-rr-${n}`);
      const r = (await row(ada, id))!;
      expect(r.teamId).toBe(team.id);
      got.push(r.assigneeId);
    }
    // Turns alternate between the two online members; Cy, offline, gets none.
    expect(new Set(got.slice(0, 2))).toEqual(new Set([ada.id, bob.id]));
    expect(got.slice(2)).toEqual(got.slice(0, 2));
    expect(got).not.toContain(cy.id);

    // By hand: to Cy, then to nobody; an unknown agent or team is refused.
    const { id } = await handedOver('anon-manual');
    expect((await ada.post(`/conversations/${id}/assign`, { assigneeId: cy.id, teamId: team.id })).status).toBe(200);
    expect((await row(ada, id))!.assigneeId).toBe(cy.id);
    expect((await ada.post(`/conversations/${id}/assign`, { assigneeId: 'ghost', teamId: null })).body.error).toMatchObject({ path: '/assigneeId' });
    expect((await ada.post(`/conversations/${id}/assign`, { assigneeId: null, teamId: 'ghost' })).body.error).toMatchObject({ path: '/teamId' });
    expect((await ada.post(`/conversations/${id}/assign`, { assigneeId: null })).body.error).toMatchObject({ path: '/teamId' });
    await ada.post(`/conversations/${id}/assign`, { assigneeId: null, teamId: null });
    expect((await row(ada, id))!.assigneeId).toBeNull();
    // An agent who answers an unassigned conversation takes it.
    await bob.post(`/conversations/${id}/messages`, { clientId: 'bob-takes', body: 'I can help' });
    expect((await row(ada, id))!.assigneeId).toBe(bob.id);
    await ada.put('/sites/demo/inbox-settings', { assignment: 'manual', teamId: null, slaFirstResponseSeconds: null });
    // A file is a response too: an agent's takes the unassigned conversation and stops the first-response clock; a customer's ends a hold.
    const withFile = await handedOver('anon-file');
    const sent = await fetch(`${s.url}/v1/agent/conversations/${withFile.id}/attachments?clientId=f1&name=photo.png`, { method: 'POST', headers: { cookie: cy.cookie, 'content-type': 'image/png' }, body: PNG });
    expect(sent.status).toBe(200);
    expect((await row(ada, withFile.id))!.assigneeId).toBe(cy.id);
    expect((await s.store.query<{ first_responder_id: string }>('SELECT first_responder_id FROM conversations WHERE id = $1', [withFile.id])).rows[0]!.first_responder_id).toBe(cy.id);
    await ada.post(`/conversations/${withFile.id}/state`, { state: 'pending' });
    const up = await fetch(`${s.url}/v1/chat/conversations/${withFile.id}/attachments?site=demo&token=${encodeURIComponent(withFile.v.token)}&clientId=f2&name=receipt.png`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: PNG });
    expect(up.status).toBe(200);
    expect((await row(ada, withFile.id))!.state).toBe('open');
  });

  it('lists mine, unassigned, all and team views with counts that match what each view lists', async () => {
    const views = ['mine', 'unassigned', 'all', 'team'] as const;
    const lists = await Promise.all(views.map((view) => cy.list(`&view=${view}`)));
    const counts = lists[0]!.counts;
    views.forEach((view, i) => expect(lists[i]!.conversations.length, view).toBe(counts[view]));
    expect(lists[0]!.conversations.every((c) => c.assigneeId === cy.id)).toBe(true);
    expect(lists[1]!.conversations.every((c) => c.assigneeId === null)).toBe(true);
    expect(counts.all).toBeGreaterThanOrEqual(counts.mine + counts.unassigned);
    // Under a state filter too.
    const open = await cy.list('&state=open&view=all');
    expect(open.conversations.every((c) => c.state === 'open')).toBe(true);
    expect(open.counts.all).toBe(open.conversations.length);
    expect((await cy.get('/conversations?view=everyone')).body.error).toMatchObject({ code: 'invalid_body', path: '?view' });
  });

  it('finds conversations by message words (full-text) and by the customer’s name or e-mail, and survives hostile queries', async () => {
    const { v, id } = await handedOver('anon-search', 'My parcel never arrived in Lyon');
    await v.action(id, 'email', { email: 'zoe_100%@mail.example' });
    const other = (await handedOver('anon-search-2', 'The invoice is wrong')).id;
    const ids = async (q: string) => (await ada.list(`&q=${encodeURIComponent(q)}`)).conversations.map((c) => c.id);
    expect(await ids('parcel lyon')).toEqual([id]);
    expect(await ids('"never arrived"')).toEqual([id]);
    expect(await ids('invoice -parcel')).toEqual([other]);
    expect(await ids('zoe_100%')).toEqual([id]);
    // LIKE metacharacters are themselves: "%" alone matches only an address with a "%" in it.
    expect(await ids('%')).toEqual([id]);
    expect(await ids('_')).toEqual([id]);
    // A channel customer is found by the name their e-mail gave.
    await s.app.deps.chat.channelMessage(channelVisitor('demo', 'email', 'grace@mail.example'), {
      channel: 'email', accountId: 'none', messageId: '<m1@mail.example>', body: 'Hello from the mail', authorName: 'Grace Hopper', email: 'grace@mail.example', thread: async () => undefined,
    });
    const grace = (await ada.list('&q=hopper')).conversations;
    expect(grace.map((c) => c.customerName)).toEqual(['Grace Hopper']);
    for (const q of ["'); DROP TABLE conversations; --", '"unterminated', 'or or or -', '\\', '()!&|:*', '   ']) {
      const r = await ada.get(`/conversations?site=demo&q=${encodeURIComponent(q)}`);
      expect(r.status, q).toBe(200);
    }
    // A lone surrogate's UTF-8 form is not UTF-8: the URL parser keeps it undecoded, a string that matches nothing.
    const surrogate = await ada.get('/conversations?site=demo&q=%ED%A0%80');
    expect(surrogate.status).toBe(200);
    expect(surrogate.body.conversations).toEqual([]);
    // NUL and 10 KB: refused.
    for (const q of ['a%00b', 'x'.repeat(10_240)]) {
      const r = await ada.get(`/conversations?site=demo&q=${q}`);
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'invalid_body', path: '?q' });
    }
    expect((await ada.list()).conversations.length).toBeGreaterThan(2);
  });

  it('keeps private notes from the visitor: not in their stream, their events, their conversation list, a webhook or a channel reply', async () => {
    const secret = 'NOTE-ONLY-FOR-AGENTS-4711';
    const { v, id } = await handedOver('anon-notes');
    const vs = sse(v.streamUrl());
    await vs.waitFor(() => vs.of('ready').length === 1);
    const as = sse(`${s.url}/v1/agent/stream`, { cookie: bob.cookie });
    await as.waitFor(() => as.of('ready').length === 1);
    const n = await ada.post(`/conversations/${id}/notes`, { clientId: 'note-1', body: secret });
    expect(n.status).toBe(200);
    // Written once per clientId.
    expect((await ada.post(`/conversations/${id}/notes`, { clientId: 'note-1', body: secret })).body.note.id).toBe(n.body.note.id);
    await as.waitFor(() => as.of('note').some((x) => x.body === secret));
    // A barrier: an agent message after the note reaches the visitor's stream, so the note would have come before it.
    await ada.post(`/conversations/${id}/messages`, { clientId: 'after-note', body: 'visible reply' });
    await vs.waitFor(() => vs.of('chat').some((e) => e.body === 'visible reply'));
    expect(JSON.stringify(vs.messages)).not.toContain(secret);
    expect(vs.messages.map((m) => m.event)).not.toContain('note');
    expect(vs.messages.map((m) => m.event)).not.toContain('inbox');
    const visitorApis = [await v.events(id), await fetch(`${s.url}/v1/chat/conversations?site=demo&token=${encodeURIComponent(v.token)}`).then((r) => r.json())];
    expect(JSON.stringify(visitorApis)).not.toContain(secret);
    expect(JSON.stringify(visitorApis)).toContain('visible reply');
    // The agents' transcript holds it, placed after the event it followed.
    const full = (await bob.get(`/conversations/${id}`)).body as { notes: { body: string; afterSeq: number }[]; events: { seq: number }[] };
    expect(full.notes.map((x) => x.body)).toEqual([secret]);
    expect(full.notes[0]!.afterSeq).toBeLessThan(full.events.at(-1)!.seq);

    // An e-mail conversation: an agent's message becomes an outgoing mail, a note never does.
    await s.store.query("INSERT INTO channel_accounts (id, site_key, kind, address, created_at) VALUES ('acc-notes', 'demo', 'email', 'help@shop.example', $1)", [clock.iso()]);
    const mail = await s.app.deps.chat.channelMessage(channelVisitor('demo', 'email', 'mia@mail.example'), {
      channel: 'email', accountId: 'acc-notes', messageId: '<n1@mail.example>', body: 'Where is my order?', email: 'mia@mail.example', meta: { subject: 'Order' }, thread: async () => undefined,
    });
    const outgoing = async () => Number((await s.store.query<{ n: number }>('SELECT count(*)::int AS n FROM deliveries')).rows[0]!.n) + Number((await s.store.query<{ n: number }>("SELECT count(*)::int AS n FROM channel_messages WHERE direction = 'out'")).rows[0]!.n);
    const before = await outgoing();
    await ada.post(`/conversations/${mail.conversation.id}/notes`, { clientId: 'mail-note', body: secret });
    expect(await outgoing()).toBe(before);
    expect(JSON.stringify((await s.store.query('SELECT payload FROM deliveries')).rows)).not.toContain(secret);
    await ada.post(`/conversations/${mail.conversation.id}/messages`, { clientId: 'mail-reply', body: 'On its way' });
    expect(await outgoing()).toBeGreaterThan(before);
    // Notes go with their conversation when the customer is erased.
    expect((await ada.del('/sites/demo/customers/anon-notes')).status).toBeLessThan(300);
    expect((await s.store.query('SELECT 1 FROM conversation_notes WHERE conversation_id = $1', [id])).rows).toEqual([]);
    // Hostile bodies.
    const { id: other } = await handedOver('anon-notes-2');
    expect((await ada.post(`/conversations/${id}/notes`, { clientId: 'n1', body: 'gone' })).status).toBe(404);
    expect((await ada.post(`/conversations/${other}/notes`, { clientId: 'n2', body: '' })).body.error).toMatchObject({ path: '/body' });
    expect((await ada.post(`/conversations/${other}/notes`, { clientId: 'n3', body: 'a\ud800' })).body.error).toMatchObject({ path: '/body' });
    expect((await ada.post(`/conversations/${other}/notes`, { clientId: 'n4', body: 'x'.repeat(5000) })).body.error).toMatchObject({ path: '/body' });
  });

  it('keeps canned replies per site, by shortcut', async () => {
    const r = await bob.post('/sites/demo/canned-replies', { shortcut: 'Thanks', body: 'Thank you {{customer.name}}, {{agent.name}} here.' });
    expect(r.body.reply).toMatchObject({ shortcut: 'thanks' });
    await bob.post('/sites/demo/canned-replies', { shortcut: 'thanks', body: 'Thanks, {{customer.name}}!' });
    const list = (await ada.get('/sites/demo/canned-replies')).body.replies as { id: string; shortcut: string; body: string }[];
    expect(list).toEqual([expect.objectContaining({ shortcut: 'thanks', body: 'Thanks, {{customer.name}}!' })]);
    for (const shortcut of ['with space', '', 'x'.repeat(33), '/slash', 'a\u0000']) expect((await bob.post('/sites/demo/canned-replies', { shortcut, body: 'x' })).body.error, shortcut).toMatchObject({ path: '/shortcut' });
    expect((await bob.get('/sites/no-such-site/canned-replies')).status).toBe(404);
    expect((await bob.get('/sites/__proto__/canned-replies')).status).toBe(400);
    expect((await bob.del(`/sites/demo/canned-replies/${list[0]!.id}`)).status).toBe(204);
    expect((await bob.del(`/sites/demo/canned-replies/${list[0]!.id}`)).status).toBe(404);
  });

  it('labels conversations and filters by label', async () => {
    const { id } = await handedOver('anon-labels');
    expect((await ada.put(`/conversations/${id}/labels`, { labels: ['Refund', ' refund ', 'VIP'] })).body.labels).toEqual(['refund', 'vip']);
    expect((await ada.list('&label=refund')).conversations.map((c) => c.id)).toEqual([id]);
    expect((await ada.list('&label=nothing')).conversations).toEqual([]);
    for (const labels of [['a,b'], ['x'.repeat(41)], ['tab\there'], Array.from({ length: 21 }, (_, i) => `l${i}`), 'refund']) {
      expect((await ada.put(`/conversations/${id}/labels`, { labels })).status, JSON.stringify(labels).slice(0, 40)).toBe(400);
    }
  });

  it('marks conversations past the site’s first-response target and reports first response, resolution and CSAT per agent and team', async () => {
    // A day of its own: the report counts only this test's conversations.
    clock.set('2026-03-05T09:00:00.000Z');
    await ada.put('/sites/demo/inbox-settings', { assignment: 'manual', teamId: null, slaFirstResponseSeconds: 300 });
    const late = await handedOver('anon-sla-late');
    const quick = await handedOver('anon-sla-quick');
    clock.advance(60_000);
    await bob.post(`/conversations/${quick.id}/messages`, { clientId: 'quick-1', body: 'Hi!' });
    expect((await row(ada, late.id))!.slaBreached).toBe(false);
    clock.advance(300_000);
    const l = (await row(ada, late.id))!;
    expect(l.slaBreached).toBe(true);
    expect(Date.parse(l.slaDueAt!) - Date.parse((await row(ada, quick.id))!.slaDueAt!)).toBe(0);
    expect((await row(ada, quick.id))!.slaBreached).toBe(false);
    // Bob resolves his after 10 minutes; the customer rates it 5 in a CSAT survey linked to the conversation.
    clock.advance(240_000);
    await bob.post(`/conversations/${quick.id}/state`, { state: 'resolved' });
    await s.store.query("UPDATE sites SET config = config || $1::jsonb WHERE key = 'demo'", [JSON.stringify({ surveys: [{ id: 'after-chat', version: 1, questions: [{ id: 'sat', type: 'csat', text: 'How was it?' }] }] })]);
    s.app.deps.sites.forget('demo');
    await s.store.query(
      `INSERT INTO survey_answers (site_key, response_id, survey_id, survey_version, question_id, value, anonymous_id, conversation_id, timestamp, payload)
       VALUES ('demo', 'r1', 'after-chat', 1, 'sat', '5', 'anon-sla-quick', $1, $2, '{}')`,
      [quick.id, clock.iso()],
    );
    const day = '2026-03-05';
    const report = (await ada.get(`/sites/demo/inbox-report?from=${day}&to=${day}`)).body as { agents: { id: string | null; firstResponseMedianSeconds: number | null; resolutionMedianSeconds: number | null; csatAverage: number | null; csatAnswers: number; slaBreached: number }[] };
    const b = report.agents.find((a) => a.id === bob.id)!;
    expect(b).toMatchObject({ firstResponseMedianSeconds: 60, resolutionMedianSeconds: 600, csatAnswers: 1, csatAverage: 5, slaBreached: 0 });
    expect(report.agents.find((a) => a.id === null)).toMatchObject({ name: 'Unassigned', conversations: 1, firstResponseMedianSeconds: null, slaBreached: 1 });
    expect((await ada.get('/sites/demo/inbox-report?from=2026-03-06&to=2026-03-06')).body.agents).toEqual([]);
    for (const q of ['from=2026-13-01', 'from=2026-03-02&to=2026-03-01', 'from=2020-01-01&to=2026-03-02', 'to=yesterday', 'from=2026-02-31']) expect((await ada.get(`/sites/demo/inbox-report?${q}`)).status, q).toBe(400);
    expect((await ada.get('/sites/nowhere/inbox-report')).status).toBe(404);
    await ada.put('/sites/demo/inbox-settings', { assignment: 'manual', teamId: null, slaFirstResponseSeconds: null });
  });
});
