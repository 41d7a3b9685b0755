import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppOptions } from '../../server/app.js';
import { ensureAgents } from '../../server/agents.js';
import { WaitingMail, waitingMinutes } from '../../server/notify/waiting-mail.js';
import type { Site } from '../../server/sites.js';
import { STORES } from '../support/stores.js';
import { mailbox } from '../support/channels-server.js';
import { testClock, type TestClock } from '../support/clock.js';
import { until } from '../support/until.js';
import { agent, visitor } from '../support/chat-client.js';
import { listenApp, type TestServer } from '../support/start-server.js';

const MINUTE = 60_000;
const relayTo = (port: number) => ({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });

/** A server mailing through the loopback SMTP server at `relayPort`; its worker's own timer is an hour, so the test's ticks decide. */
const mailingServer = (o: { databaseUrl?: string | undefined; now: NonNullable<AppOptions['now']>; relayPort: number }): Promise<TestServer> =>
  listenApp({ databaseUrl: o.databaseUrl, siteName: 'Demo shop', rateLimit: { perSecond: 0, burst: 0 }, deliveries: false, retention: false, now: o.now, channels: { relay: relayTo(o.relayPort) }, waitingMail: { tickMs: 3_600_000, from: 'Touchpoint <notify@shop.test>', publicUrl: 'https://support.shop.test/' } });

describe('the waiting e-mail setting', () => {
  const site = (notifications: unknown) => ({ key: 's', name: 'S', secret: '', secrets: [], allowedOrigins: [], config: { notifications } }) as Site;
  it('takes whole minutes from 0 (off) to a day, and the default for anything else', () => {
    expect(waitingMinutes(site(undefined))).toBe(5);
    expect(waitingMinutes(site({ waitingEmailMinutes: 0 }))).toBe(0);
    expect(waitingMinutes(site({ waitingEmailMinutes: 12 }))).toBe(12);
    expect(waitingMinutes(site({ waitingEmailMinutes: 1440 }))).toBe(1440);
    for (const bad of [-1, 2.5, 1441, '10', null, true, Number.NaN, Infinity, { valueOf: () => 3 }]) expect(waitingMinutes(site({ waitingEmailMinutes: bad })), String(bad)).toBe(5);
    expect(waitingMinutes(site('loud'))).toBe(5);
  });
});

describe.each(STORES)('the waiting e-mail on $name', ({ databaseUrl }) => {
  let clock: TestClock;
  let s: TestServer;
  let box: Awaited<ReturnType<typeof mailbox>>;
  let url: string | undefined;
  const mails = () => box.got.filter((m) => m.mail.subject?.startsWith('Waiting'));
  const claims = async (id: string) => (await s.store.query<{ spell_seq: number; sent_at: Date | null; recipients: number | null }>('SELECT spell_seq, sent_at, recipients FROM waiting_mail WHERE conversation_id = $1 ORDER BY spell_seq', [id])).rows;

  beforeAll(async () => {
    clock = testClock('2026-12-01T09:00:00.000Z');
    box = await mailbox();
    url = await databaseUrl();
    s = await mailingServer({ databaseUrl: url, now: clock, relayPort: box.port });
    await ensureAgents(s.store, 'olive@shop.test:olive-pass-1:Olive:owner;andy@shop.test:andy-pass-1:Andy:agent');
    await s.app.deps.sites.ensure('quiet', 'Quiet shop', ['*'], { notifications: { waitingEmailMinutes: 0 } });
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await box?.close();
  });

  it('mails every agent once when a conversation has waited the site\'s minutes for a person, across instances, and once more for the next unanswered spell', async () => {
    const v = await visitor(s.url, 'anon-waiting');
    const id = (await v.start('conv-waiting', 'Hello')).body.conversation.id;
    await v.send(id, 'm-2', 'Can I talk to a person please?');
    const bot = await visitor(s.url, 'anon-with-the-bot');
    await bot.start('conv-bot-only', 'How long does shipping take?');
    const quiet = await visitor(s.url, 'anon-quiet', 'quiet');
    const quietId = (await quiet.start('conv-quiet', 'Hello')).body.conversation.id;
    await quiet.action(quietId, 'handoff');

    clock.advance(5 * MINUTE - 1_000);
    expect(await s.app.waitingMail!.tick()).toBe(0);
    expect(await claims(id)).toEqual([]);

    // Five minutes on the server's clock: two workers on the same database look at once (on PostgreSQL a second instance); one mail.
    clock.advance(1_000);
    const other = url ? await mailingServer({ databaseUrl: url, now: clock, relayPort: box.port }) : undefined;
    const second = other?.app.waitingMail ?? new WaitingMail(s.store, s.app.deps.sites, clock, s.app.log, relayTo(box.port));
    try {
      const sent = await Promise.all([s.app.waitingMail!.tick(), second.tick()]);
      expect(sent.reduce((a, b) => a + b, 0)).toBe(1);
      expect(await s.app.waitingMail!.tick()).toBe(0);
    } finally {
      if (other) await other.close();
      else await second.stop();
    }
    await until(() => mails().length === 1, 10_000, 20);
    const m = mails()[0]!;
    expect(m.envelopeTo.sort()).toEqual(['andy@shop.test', 'olive@shop.test']);
    expect(m.mail.from?.value).toEqual([{ name: 'Touchpoint', address: 'notify@shop.test' }]);
    expect(m.mail.subject).toBe('Waiting 5 min: Visitor aiting on Demo shop');
    expect(m.mail.text).toContain('> Can I talk to a person please?');
    expect(m.mail.text).toContain('Answer: https://support.shop.test/console/inbox');
    expect(m.mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(m.mail.headers.get('x-touchpoint-conversation')).toBe(id);
    expect(await claims(id)).toMatchObject([{ recipients: 2 }]);
    expect((await claims(id))[0]!.sent_at).not.toBeNull();

    // Hours later, still waiting: nothing more for the same spell. The bot's and the quiet site's conversations never mail.
    clock.advance(3 * 60 * MINUTE);
    expect(await s.app.waitingMail!.tick()).toBe(0);
    expect(await claims(quietId)).toEqual([]);

    // An agent answers: the spell ends. The customer writes again: a new spell, its own five minutes, its own mail.
    const olive = await agent(s.url, 'olive@shop.test', 'olive-pass-1');
    await olive.send(id, 'a-1', 'Hi, Olive here.');
    clock.advance(10 * MINUTE);
    expect(await s.app.waitingMail!.tick()).toBe(0);
    await v.send(id, 'm-3', 'Is the blue one in stock?\nSize M.');
    clock.advance(4 * MINUTE);
    expect(await s.app.waitingMail!.tick()).toBe(0);
    clock.advance(MINUTE);
    expect(await s.app.waitingMail!.tick()).toBe(1);
    await until(() => mails().length === 2, 10_000, 20);
    expect(mails()[1]!.mail.text).toContain('> Is the blue one in stock?\n> Size M.');
    expect(await claims(id)).toHaveLength(2);
    expect(box.got.filter((g) => g.mail.headers.get('x-touchpoint-conversation') === id)).toHaveLength(2);
  });

  it('mails only the assignee of an assigned conversation, the team of one assigned to a team, and everyone when neither is there any more', async () => {
    const olive = await agent(s.url, 'olive@shop.test', 'olive-pass-1');
    const ids = Object.fromEntries((await s.store.query<{ id: string; email: string }>('SELECT id, email FROM agents')).rows.map((r) => [r.email, r.id]));
    await s.store.query("INSERT INTO teams (id, site_key, name, created_at) VALUES ('team-returns', 'demo', 'Returns', '2026-12-01T09:00:00Z')");
    await s.store.query('INSERT INTO team_members (team_id, agent_id) VALUES ($1, $2)', ['team-returns', ids['olive@shop.test']]);
    const waiting = async (anon: string, to: { assigneeId: string | null; teamId: string | null }) => {
      const v = await visitor(s.url, anon);
      const id = (await v.start(`conv-${anon}`, 'talk to a person')).body.conversation.id as string;
      const r = await fetch(`${s.url}/v1/agent/conversations/${id}/assign`, { method: 'POST', headers: { cookie: olive.cookie, 'content-type': 'application/json' }, body: JSON.stringify(to) });
      expect(r.status, await r.clone().text()).toBe(200);
      return id;
    };
    const andys = await waiting('anon-andys', { assigneeId: ids['andy@shop.test']!, teamId: null });
    const teams = await waiting('anon-teams', { assigneeId: null, teamId: 'team-returns' });
    const gone = await waiting('anon-gone', { assigneeId: ids['andy@shop.test']!, teamId: null });
    await s.store.query("UPDATE conversations SET assignee_id = 'agent-who-left' WHERE id = $1", [gone]);
    clock.advance(6 * MINUTE);
    expect(await s.app.waitingMail!.tick()).toBe(3);
    const to = (id: string) => box.got.find((g) => g.mail.headers.get('x-touchpoint-conversation') === id)?.envelopeTo.sort();
    await until(() => !!(to(andys) && to(teams) && to(gone)), 10_000, 20);
    expect(to(andys)).toEqual(['andy@shop.test']);
    expect(to(teams)).toEqual(['olive@shop.test']);
    expect(to(gone)).toEqual(['andy@shop.test', 'olive@shop.test']);
    expect(await claims(andys)).toMatchObject([{ recipients: 1 }]);
  });

  it('gives the spell back when the relay refuses, so the next tick (any instance\'s) sends it', async () => {
    const v = await visitor(s.url, 'anon-relay-down');
    const id = (await v.start('conv-relay-down', 'talk to a person')).body.conversation.id;
    clock.advance(6 * MINUTE);
    const dead = await mailbox();
    await dead.close();
    const broken = new WaitingMail(s.store, s.app.deps.sites, clock, s.app.log, relayTo(dead.port));
    expect(await broken.tick()).toBe(0);
    await broken.stop();
    expect(await claims(id)).toEqual([]);
    expect(await s.app.waitingMail!.tick()).toBe(1);
    await until(() => box.got.some((g) => g.mail.headers.get('x-touchpoint-conversation') === id), 10_000, 20);
  });
});
