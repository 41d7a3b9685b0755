import { gunzipSync } from 'node:zlib';
import type { BrowserCommand } from 'vitest/node';
import { startServer, type TestServer } from './start-server.js';
import { hmacHex } from '../../server/lib/hmac.js';

/**
 * Browser tests reach the real reference server through these commands,
 * which run in Node: one server for the whole browser project, started on
 * first use, closed by the project's global teardown (test/support/close-browser-server.ts).
 * The promise lives on globalThis because vitest loads this module twice in its
 * main process — bundled into the config, and again for the global setup file.
 */
const KEY = Symbol.for('touchpoint.browser-test-server');
const slot = globalThis as { [KEY]?: Promise<TestServer> };
const get = () => (slot[KEY] ??= startServer());

/** Closes the server (and its store, hub and delivery worker) if a test started it. */
export const closeServer = async () => {
  const s = slot[KEY];
  delete slot[KEY];
  await (await s)?.close();
};

/** Base URL of the reference server. */
export const serverUrl: BrowserCommand<[]> = async () => (await get()).url;

/** Rows stored for a visitor: events (by message id), consent records and survey answers. */
export const storedItems: BrowserCommand<[anonymousId: string]> = async (_ctx, anonymousId) => {
  const { store } = await get();
  const events = await store.query<{ message_id: string; type: string; name: string | null; user_id: string | null; session_id: string | null; original_timestamp: string }>(
    "SELECT message_id, type, name, user_id, session_id, to_char(original_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS original_timestamp FROM events WHERE anonymous_id = $1 ORDER BY id",
    [anonymousId],
  );
  const consent = await store.query<{ record_id: string; method: string; categories: Record<string, boolean> }>(
    'SELECT record_id, method, categories FROM consent_records WHERE anonymous_id = $1 ORDER BY id',
    [anonymousId],
  );
  const answers = await store.query<{ survey_id: string; question_id: string; value: unknown; session_id: string | null; conversation_id: string | null }>(
    'SELECT survey_id, question_id, value, session_id, conversation_id FROM survey_answers WHERE anonymous_id = $1 ORDER BY id',
    [anonymousId],
  );
  return { events: events.rows, consent: consent.rows, answers: answers.rows };
};

/** Makes the server answer the next `count` batch requests with `status` (fault injection). */
export const failNextBatches: BrowserCommand<[count: number, status: number, retryAfter?: number]> = async (_ctx, count, status, retryAfter) => {
  const s = await get();
  (s.app as unknown as { faults: { count: number; status: number; retryAfter?: number } }).faults = { count, status, retryAfter };
};

/** The demo site's userHash for a user id, as a site backend would compute it. */
export const userHash: BrowserCommand<[userId: string]> = async (_ctx, userId) => {
  const s = await get();
  return hmacHex((await s.app.deps.sites.get('demo'))!.secret, userId);
};

/** A session's stored replay chunks, decompressed: what a player would get. */
export const replayChunks: BrowserCommand<[sessionId: string]> = async (_ctx, sessionId) => {
  const { store } = await get();
  const { rows } = await store.query<{ window_id: string; seq: number; bytes: Uint8Array }>('SELECT window_id, seq, bytes FROM replay_chunks WHERE session_id = $1 ORDER BY window_id, seq', [sessionId]);
  return rows.map((r) => ({ window: r.window_id, seq: r.seq, events: JSON.parse(gunzipSync(r.bytes).toString('utf8')) as { type: number; timestamp: number }[] }));
};

/** Whether the run refreshes the docs' screenshots (`UPDATE_DOCS=1`), which the browser cannot read from the environment. */
export const updateDocs: BrowserCommand<[]> = () => process.env.UPDATE_DOCS === '1';

/** A site of its own with these chat settings (greeting, business hours), so a test changes no other test's `demo`. */
export const chatSite: BrowserCommand<[key: string, chat: Record<string, unknown>]> = async (_ctx, key, chat) => {
  await (await get()).app.deps.sites.configure(key, key, ['*'], { chat });
};

export const commands = { serverUrl, storedItems, failNextBatches, userHash, replayChunks, updateDocs, chatSite };

declare module 'vitest/browser' {
  interface BrowserCommands {
    serverUrl(): Promise<string>;
    storedItems(anonymousId: string): Promise<{
      events: { message_id: string; type: string; name: string | null; user_id: string | null; session_id: string | null; original_timestamp: string }[];
      consent: { record_id: string; method: string; categories: Record<string, boolean> }[];
      answers: { survey_id: string; question_id: string; value: unknown; session_id: string | null; conversation_id: string | null }[];
    }>;
    failNextBatches(count: number, status: number, retryAfter?: number): Promise<void>;
    userHash(userId: string): Promise<string>;
    updateDocs(): Promise<boolean>;
    replayChunks(sessionId: string): Promise<{ window: string; seq: number; events: { type: number; timestamp: number }[] }[]>;
    chatSite(key: string, chat: Record<string, unknown>): Promise<void>;
  }
}
