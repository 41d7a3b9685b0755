import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { commands } from 'vitest/browser';
import { ChatClient, type ChatClientOptions } from '../../src/chat/chat-client.js';
import { uuidv7 } from '../../src/lib/uuidv7.js';
import { until } from '../support/until.js';

const make = async (anonymousId: string, o: Partial<ChatClientOptions> = {}) =>
  new ChatClient({ endpoint: await commands.serverUrl(), siteKey: 'demo', anonymousId: () => anonymousId, mayStore: () => true, ...o });
const visitorBodies = (c: ChatClient) => c.events.filter((e) => e.kind === 'message' && e.author.kind === 'visitor').map((e) => e.body!);
/** What the visitor sees of their own messages: delivered and pending, in order. */
const shown = (c: ChatClient) => [...visitorBodies(c), ...c.pending.map((p) => p.body)];

/** Watches a client the way a visitor watches the panel: any message shown and then gone, or shown twice at once. */
const watch = (c: ChatClient) => {
  const seen = new Set<string>();
  const lost: string[] = [];
  const twice: string[] = [];
  c.on('change', () => {
    const now = shown(c);
    for (const b of seen) if (!now.includes(b)) lost.push(b);
    for (const b of now) if (now.indexOf(b) !== now.lastIndexOf(b)) twice.push(b);
    now.forEach((b) => seen.add(b));
  });
  return { lost, twice };
};

const clients: ChatClient[] = [];
const restore: (() => void)[] = [];
// The real server starts on first use (the store, its migrations): in a hook, not inside a test's time.
beforeAll(() => commands.serverUrl(), 60_000);
beforeEach(() => localStorage.clear());
afterEach(() => {
  restore.splice(0).forEach((f) => f());
  clients.splice(0).forEach((c) => c.reset(false));
});

describe('the chat client', () => {
  it('ends an undeliverable message as not sent within its deadline, and Retry delivers it exactly once', async () => {
    // No stream (as where EventSource is missing): only the answer to a POST can confirm a message.
    const ES = window.EventSource;
    (window as { EventSource?: unknown }).EventSource = undefined;
    restore.push(() => (window.EventSource = ES));
    const anon = uuidv7();
    const c = await make(anon, { sendTimeout: 2_000 });
    clients.push(c);
    await c.send('Hello');
    expect(c.pending).toEqual([]);

    // The first try reaches the server, which stores the message, but its answer is lost; every later try finds no network.
    const fetch = window.fetch;
    let tries = 0;
    window.fetch = async (input, init) => {
      if (!String(input).endsWith('/messages')) return fetch(input, init);
      if (tries++ === 0) await fetch(input, init);
      throw new TypeError('Failed to fetch');
    };
    restore.push(() => (window.fetch = fetch));
    const t0 = Date.now();
    void c.send('Answer lost');
    await until(() => c.pending[0]?.state === 'failed', 8_000, 20);
    // Bounded: the deadline plus at most one backoff step, never an endless "Sending…".
    expect(Date.now() - t0).toBeLessThan(4_000);
    expect(tries).toBeGreaterThan(1);

    window.fetch = fetch;
    await c.retry(c.pending[0]!.clientId);
    expect(c.pending).toEqual([]);
    expect(visitorBodies(c)).toEqual(['Hello', 'Answer lost']);
    // The server kept one, however often it arrived: a fresh client (another tab) reads the history.
    localStorage.setItem('tp:v1:chat', JSON.stringify({ c: c.conversation!.id, a: anon }));
    const other = await make(anon);
    clients.push(other);
    await other.resume();
    expect(visitorBodies(other)).toEqual(['Hello', 'Answer lost']);
  });

  it('chats anonymously, with a DEV_MODE warning, when the server refuses the userHash', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    restore.push(() => warn.mockRestore());
    const c = await make(uuidv7(), { identity: () => ({ userId: `user-${uuidv7()}`, userHash: 'ab'.repeat(32) }) });
    clients.push(c);
    await c.send('Do you ship to Iceland?');
    // Delivered (the bot answers), not stuck at "Sending…" behind a token the server will never give.
    await until(() => c.pending.length === 0 && c.events.some((e) => e.author.kind === 'bot' && e.kind === 'message'));
    expect(visitorBodies(c)).toEqual(['Do you ship to Iceland?']);
    expect(warn.mock.calls.map((a) => String(a[0])).filter((m) => /refused the chat's userHash.*HTTP 403.*anonymously/.test(m))).toHaveLength(1);
  });

  it('gives two tabs writing their first messages at once one conversation: each message shown once in both, none shown and then lost', async () => {
    const anon = uuidv7();
    const a = await make(anon);
    const b = await make(anon);
    clients.push(a, b);
    const seenA = watch(a);
    const seenB = watch(b);
    await Promise.all([a.send('First from tab A'), b.send('First from tab B')]);
    const both = (c: ChatClient) => c.pending.length === 0 && ['First from tab A', 'First from tab B'].every((m) => visitorBodies(c).includes(m));
    await until(() => both(a) && both(b), 15_000);
    expect(b.conversation!.id).toBe(a.conversation!.id);
    for (const c of [a, b]) expect(visitorBodies(c).sort()).toEqual(['First from tab A', 'First from tab B']);
    expect([seenA, seenB]).toEqual([
      { lost: [], twice: [] },
      { lost: [], twice: [] },
    ]);
  });
});
