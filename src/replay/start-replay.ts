import { record } from '@rrweb/record';
import { openOutbox } from '../core/idb-outbox.js';
import type { Outbox } from '../core/outbox.js';
import { gzip } from '../lib/gzip.js';
import { hashSlot } from '../lib/hash-slot.js';
import { onPageHide } from '../lib/on-page-hide.js';
import { siteConfig } from '../lib/site-config.js';
import { readStored, writeStored } from '../lib/storage.js';
import { uuidv7 } from '../lib/uuidv7.js';
import { warn } from '../lib/warn.js';
import { isLowScore } from '../protocol/score.js';
import type { QuestionType } from '../protocol/constants.js';
import type { Touchpoint } from '../types.js';
import { EVENT, SOURCE, limitMutations, type RrEvent } from './limit-mutations.js';
import { MARKED, maskEvent, maskOptions, serialise, watchMarked } from './privacy.js';
import { uploadChunks, type ChunkBody } from './upload-chunks.js';
import { KEYS, type StoredKey } from '../lib/storage-keys.js';

export interface ReplayOptions {
  /** Site key and backend, for the site config's sampling rates (script tag: from its attributes). */
  siteKey?: string;
  endpoint?: string;
  /** Share of sessions recorded in full (default: the site config's `sampling.replay`, else 1). */
  sessionSampleRate?: number;
  /** Share of the other sessions kept in the on-error ring buffer (default: `sampling.replayOnError`, else 0). */
  onErrorSampleRate?: number;
  /** Mask every text node, not only `[data-tp-mask]` and PII patterns. */
  maskAllText?: boolean;
  /** More elements whose text is masked / which are not recorded at all. */
  maskSelector?: string;
  blockSelector?: string;
  /** Record canvas contents (off: costly). */
  recordCanvas?: boolean;
  /** Record console messages (info, log, warn, error; PII scrubbed like everything else). A lazy chunk of its own. */
  recordConsole?: boolean;
  /** How much the on-error buffer keeps (default 60 s). */
  bufferMs?: number;
  /** Pause after this long without any interaction (default 5 min); resumes with a fresh snapshot. */
  idleMs?: number;
  /** Stop recording a session after this long (default 60 min). */
  maxDurationMs?: number;
}

export type ReplayMode = 'off' | 'session' | 'buffer';

export interface Replay {
  /** The mode this session records in. */
  readonly mode: ReplayMode;
  /** Uploads the buffered last minute now and records the rest of the session (buffer mode). */
  capture(): void;
  stop(): void;
}

interface Chunk {
  events: RrEvent[];
  first: number;
  last: number;
}
interface Stored extends ChunkBody {
  s: string;
  last: number;
  /** The chunk begins with a full snapshot: playback can start there. */
  full: boolean;
}

const CHUNK_MS = 5_000;
const CHUNK_EVENTS = 2_000;
const CAP = 20 * 1024 * 1024;

/** IndexedDB while it works; a memory outbox from the first failure on (no IndexedDB, quota): this page's chunks still go. */
const outboxOf = (name: string) => openOutbox(CAP, undefined, undefined, undefined, name);

/** A chunk the page could not finish storing as it went away: its identity, and its events serialised (scrubbed), not yet gzipped. */
interface Spilled {
  id: string;
  q: string;
  s: string;
  last: number;
  full: boolean;
  text: string;
}

/**
 * Session replay on `@rrweb/record` (lazy: never in the core bundle). Starts
 * only while consent grants `replay`, only for sampled sessions, masks every
 * input value and PII, and uploads ~5 s gzip chunks through an IndexedDB
 * outbox, exactly once, in order (docs/replay.md).
 */
export const startReplay = (tp: Touchpoint, options: ReplayOptions = {}): Replay => {
  // Late-bound: the early return below leaves these as no-ops.
  let trigger = async (_why: string): Promise<void> => {};
  let stop = (_forget?: boolean): void => {};
  const api: Replay = { mode: 'off', capture: () => void trigger('api'), stop: () => stop(true) };
  if (typeof CompressionStream != 'function' || !tp.consent.granted('replay')) return api;
  const endpoint = (options.endpoint ?? location.origin).replace(/\/$/, '');
  // Opened when first needed, not here: a session that is not sampled (most of them) opens no
  // database, and one recorded in full never opens the on-error buffer (each open is a handful of
  // main-thread tasks at start, issue #21).
  let sendingAt: ReturnType<typeof outboxOf> | undefined;
  let bufferAt: ReturnType<typeof outboxOf> | undefined;
  let uploaderAt: Promise<ReturnType<typeof uploadChunks>> | undefined;
  const sending = () => (sendingAt ??= outboxOf(KEYS.indexedDB.replay));
  const buffer = () => (bufferAt ??= outboxOf(KEYS.indexedDB.replayBuffer));
  const uploader = () => (uploaderAt ??= sending().then((o) => uploadChunks(endpoint, o)));
  const limit = limitMutations();
  const off: (() => void)[] = [];
  const windowId = readStored<string>(KEYS.sessionStorage.window, 'sessionStorage') ?? uuidv7();
  const bufferMs = options.bufferMs ?? 60_000;
  const idleMs = options.idleMs ?? 5 * 60_000;
  let chunk: Chunk | undefined;
  let session = tp.sessionId ?? uuidv7();
  let seq = 0;
  let stopRecording: (() => void) | undefined;
  let lastActivity = Date.now();
  const started = Date.now();
  let timer: ReturnType<typeof setInterval> | undefined;
  let stopped = false;

  const nextSeq = () => {
    // Per (session, tab), surviving reloads of the tab: a reload continues the numbering.
    const key = `${session}|${windowId}`;
    const s = readStored<{ k: string; n: number }>(KEYS.sessionStorage.replaySeq, 'sessionStorage');
    seq = s?.k === key ? s.n : 0;
    writeStored(KEYS.sessionStorage.replaySeq, { k: key, n: seq + 1 }, 'sessionStorage');
    return seq;
  };

  /** Resolves once the buffer has moved to the sending outbox (buffer mode, triggered): nothing uploads before it, so chunks go oldest first. */
  let moved: Promise<unknown> = Promise.resolve();

  /** Stores a finished chunk: in the ring buffer (buffer mode) or the sending outbox, then uploads. */
  const store = async ({ id, q, s, last, full, text }: Spilled) => {
    const data = await gzip(text);
    const item = { id, kind: 'replay' as const, body: { q, data, s, last, full } satisfies Stored, bytes: data.byteLength };
    if (api.mode === 'buffer') {
      const b = await buffer();
      await b.put([item]);
      await prune(b);
    } else {
      await (await sending()).put([item]);
      await moved;
      void (await uploader()).flush();
    }
  };

  /**
   * Closes the current chunk: serialise, scrub, gzip, store; then upload (or
   * keep, in buffer mode). `hiding`: the page may be going away before the
   * gzip and the write finish (a navigation, a closed tab), so the serialised
   * chunk is first written to localStorage, synchronously; the next page takes
   * it back (see `restore`), or this one removes it once stored.
   */
  const cut = async (hiding = false) => {
    const c = chunk;
    chunk = undefined;
    if (!c?.events.length) return;
    const n = nextSeq();
    const q = new URLSearchParams({ site: options.siteKey ?? '', session, window: windowId, seq: String(n), first: String(c.first), last: String(c.last), anon: tp.anonymousId });
    const spilled: Spilled = { id: uuidv7(), q: q.toString(), s: session, last: c.last, full: c.events.some((e) => e.type === EVENT.FullSnapshot), text: serialise(c.events) };
    const key = `${KEYS.localStorage.replaySpill}${spilled.id}` as const;
    if (hiding) writeStored(key, spilled);
    await store(spilled);
    if (hiding) writeStored(key, undefined);
  };

  /** Chunks that pages going away left in localStorage, stored now (oldest first: their ids are older than this page's). */
  const restore = async () => {
    let keys: string[] = [];
    try {
      keys = Object.keys(localStorage).filter((k) => k.startsWith(KEYS.prefix + KEYS.localStorage.replaySpill));
    } catch {
      // Storage unreadable: nothing to take back.
    }
    for (const key of keys.sort()) {
      const spilled = readStored<Spilled>(key.slice(KEYS.prefix.length) as StoredKey);
      if (spilled) await store(spilled);
      writeStored(key.slice(KEYS.prefix.length) as StoredKey, undefined);
    }
  };

  /** The ring buffer keeps the last `bufferMs`, from a chunk that starts with a full snapshot. */
  const prune = async (b: Outbox) => {
    const all = await b.peek(Infinity, Infinity);
    const cutoff = Date.now() - bufferMs;
    let keepFrom = 0;
    all.forEach((it, i) => {
      const s = it.body as Stored;
      if (s.s !== session) keepFrom = i + 1; // another session's leftovers
      else if (s.full && s.last <= cutoff) keepFrom = i;
    });
    if (keepFrom) await b.remove(all.slice(0, keepFrom).map((i) => i.id));
  };

  let snapshotHref: unknown;
  const emit = (raw: RrEvent) => {
    const e = limit(maskEvent(raw, (id) => record.mirror.getNode(id)));
    if (!e) return;
    if (e.type === EVENT.Meta) {
      snapshotHref = e.data.href;
      // A new page or a fresh snapshot starts a new chunk (playback can start at any chunk's snapshot).
      if (chunk) void cut();
    }
    if (e.type === EVENT.Incremental && e.data.source !== SOURCE.Mutation) lastActivity = e.timestamp;
    (chunk ??= { events: [], first: e.timestamp, last: e.timestamp }).events.push(e);
    chunk.last = e.timestamp;
    if (chunk.events.length >= CHUNK_EVENTS) void cut();
  };

  // Selector checks only where the page marks elements (see maskOptions); a
  // page that marks one later restarts the recorder with them, before rrweb
  // has recorded the marked element.
  let consolePlugin: unknown;
  let marked = !!document.querySelector(MARKED);
  let watching = false;
  const start = () => {
    if (stopRecording) return;
    lastActivity = Date.now();
    if (!marked && !watching) {
      watching = true;
      off.push(
        watchMarked(() => {
          marked = true;
          if (stopRecording) {
            stopRecording();
            stopRecording = undefined;
            start();
          }
        }),
      );
    }
    const stopRrweb = record({
      emit: emit as (e: unknown) => void,
      ...maskOptions(options, marked),
      recordCanvas: options.recordCanvas ?? false,
      collectFonts: true,
      inlineStylesheet: true,
      // Buffer mode needs a snapshot inside every window of `bufferMs`.
      checkoutEveryNms: api.mode === 'buffer' ? bufferMs / 2 : undefined,
      // Input: every keystroke (masked) — 'last' would record only on blur, and a tab closed mid-field shows nothing.
      sampling: { mousemove: 50, scroll: 150 },
      slimDOMOptions: 'all', // scripts, comments, head metadata and whitespace: never needed to replay
      errorHandler: () => true, // a recorder fault must never reach the page
      ...(consolePlugin ? { plugins: [consolePlugin] } : {}),
    });
    stopRecording = stopRrweb;
  };

  const pause = () => {
    stopRecording?.();
    stopRecording = undefined;
    void cut();
  };

  stop = (forget = false) => {
    stopped = true;
    // Forgetting (consent withdrawn, logout): the chunk being built goes, and both databases are deleted, not just emptied.
    if (forget) {
      chunk = undefined;
      // (Opened for it if this page never did: what earlier pages left goes too.)
      void Promise.all([sending(), buffer()]).then((os) => os.forEach((o) => void o.drop()));
    }
    pause();
    clearInterval(timer);
    off.forEach((f) => f());
    off.length = 0;
    void uploaderAt?.then((u) => u.stop());
    (api as { mode: ReplayMode }).mode = 'off';
  };

  /** Buffer mode: something worth seeing happened. Keep the last minute and record on. */
  trigger = async (why: string) => {
    if (api.mode !== 'buffer') return;
    if (DEV_MODE) warn('replay-trigger', `Replay buffer uploaded (${why}).`);
    // The chunk being built joins the buffer first (still buffer mode), then
    // the whole buffer moves, and only then does anything upload: oldest first.
    let done: () => void = () => {};
    moved = new Promise<void>((r) => (done = r));
    try {
      await cut();
      (api as { mode: ReplayMode }).mode = 'session';
      writeStored(KEYS.localStorage.replay, { s: session, m: 'session' });
      const [b, s] = await Promise.all([buffer(), sending()]);
      const items = await b.peek(Infinity, Infinity);
      await s.put(items);
      await b.remove(items.map((i) => i.id));
    } finally {
      done();
    }
    void (await uploader()).flush();
  };

  // Consent withdrawn or logout: stop, and drop what was not sent.
  off.push(tp.consent.on('change', () => !tp.consent.granted('replay') && stop(true)));
  off.push(tp.on('reset', () => stop(true)));
  // Each page view starts with a full snapshot, an SPA's (pushState) too: the
  // player seeks to a page from its snapshot, and the chunk starts there.
  off.push(tp.on('event', (e) => void (e.type === 'page' && stopRecording && location.href !== snapshotHref && record.takeFullSnapshot(true))));

  void (async () => {
    const c = await siteConfig(options.endpoint, options.siteKey);
    const rate = options.sessionSampleRate ?? c?.sampling.replay ?? 1;
    const onError = options.onErrorSampleRate ?? c?.sampling.replayOnError ?? 0;
    const kept = readStored<{ s: string; m: ReplayMode }>(KEYS.localStorage.replay);
    // Stable per session: every page of a sampled session is recorded, no re-roll per page.
    const slot = hashSlot(`replay:${session}`);
    const mode: ReplayMode = kept?.s === session ? kept.m : slot < rate ? 'session' : hashSlot(`buffer:${session}`) < onError ? 'buffer' : 'off';
    if (mode === 'off' || !tp.consent.granted('replay') || stopped) return;
    (api as { mode: ReplayMode }).mode = mode;
    writeStored(KEYS.localStorage.replay, { s: session, m: mode });
    if (options.recordConsole) {
      // Only sites that ask for it pay for the plugin (its own chunk).
      const { getRecordConsolePlugin } = await import('@rrweb/rrweb-plugin-console-record');
      consolePlugin = getRecordConsolePlugin({ level: ['info', 'log', 'warn', 'error'], lengthThreshold: 200 });
    }
    // What an earlier page left, before this page's first chunk: oldest first.
    await restore();
    start();
    void (await uploader()).flush(); // what an earlier page left

    timer = setInterval(() => {
      const now = Date.now();
      if (now - started > (options.maxDurationMs ?? 60 * 60_000)) return stop();
      if (stopRecording && now - lastActivity > idleMs) return pause();
      void cut();
      if (tp.sessionId && tp.sessionId !== session) {
        // The session renewed under us (30 min idle, 24 h cap): its replay starts with its own snapshot.
        session = tp.sessionId;
        if (stopRecording) record.takeFullSnapshot(true);
      }
    }, CHUNK_MS);
    const wake = () => {
      if (!stopRecording && api.mode !== 'off') start();
    };
    for (const type of ['pointerdown', 'keydown', 'scroll', 'pointermove']) {
      addEventListener(type, wake, { passive: true, capture: true });
      off.push(() => removeEventListener(type, wake, { capture: true }));
    }
    // Hidden or leaving: close the chunk now so it is stored (and sent) before the page may die.
    onPageHide(() => void cut(true));

    // Buffer-mode triggers: an error, a rage click, a low survey score, a chat hand-off.
    const onPageError = () => void trigger('error');
    addEventListener('error', onPageError);
    addEventListener('unhandledrejection', onPageError);
    off.push(() => (removeEventListener('error', onPageError), removeEventListener('unhandledrejection', onPageError)));
    off.push(tp.on('event', (e) => e.type === 'track' && (e.event === 'Rage Click' || e.event === 'Error Click') && void trigger(e.event)));
    const onAnswer = (e: Event) => {
      const d = (e as CustomEvent<{ questionId: string; value?: unknown }>).detail;
      const type = (e.target as { definition?: { questions: { id: string; type: QuestionType }[] } }).definition?.questions.find((q) => q.id === d.questionId)?.type;
      if (type && isLowScore(type, d.value)) void trigger('low score');
    };
    const onHandoff = () => void trigger('chat hand-off');
    document.addEventListener('tp-survey-answer', onAnswer);
    document.addEventListener('tp-chat-handoff', onHandoff);
    off.push(() => (document.removeEventListener('tp-survey-answer', onAnswer), document.removeEventListener('tp-chat-handoff', onHandoff)));
  })().catch(() => {});

  return api;
};
