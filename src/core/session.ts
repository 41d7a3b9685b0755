import { readStored, writeStored } from '../lib/storage.js';
import { uuidv7 } from '../lib/uuidv7.js';
import { KEYS } from '../lib/storage-keys.js';

/** Idle time that ends a session (the industry's 30 minutes). */
export const SESSION_IDLE_MS = 30 * 60_000;
/** Hard cap on a session's length. */
export const SESSION_MAX_MS = 24 * 3600_000;

export interface SessionState {
  id: string;
  start: number;
  last: number;
}

/**
 * Sessions: a new one after 30 minutes idle or 24 hours, shared by the tabs of
 * one browser (localStorage), with a per-tab window id (sessionStorage).
 * `persist` is false until consent allows storage; state then lives in memory.
 */
export const createSession = () => {
  let state: SessionState | undefined;
  let windowId: string | undefined;
  let persist = false;
  let synced = 0;

  /** Touches the session at `now`; `isNew` is true when this call started it. */
  const touch = (now = Date.now()): { state: SessionState; isNew: boolean; windowId: string } => {
    // Storage is read and written at most once a second, so a burst of calls
    // shares one access: a localStorage write can take 0.7 ms on a throttled
    // phone, three per call made 100 track() calls one long task (issue #4).
    // Other tabs see `last` at most a second late; sessions end after 30 minutes.
    const sync = persist && Date.now() - synced > 999;
    const stored = sync ? readStored<SessionState>(KEYS.localStorage.session) : state;
    let isNew = false;
    if (!stored || now - stored.last > SESSION_IDLE_MS || now - stored.start > SESSION_MAX_MS) {
      state = { id: uuidv7(now), start: now, last: now };
      isNew = true;
    } else state = { ...stored, last: Math.max(stored.last, now) };
    windowId ??= (persist && readStored<string>(KEYS.sessionStorage.window, 'sessionStorage')) || uuidv7(now);
    if (sync || (persist && isNew)) {
      synced = Date.now();
      writeStored(KEYS.localStorage.session, state);
      writeStored(KEYS.sessionStorage.window, windowId, 'sessionStorage');
    }
    return { state, isNew, windowId };
  };

  // `__` members: only the SDK's parts call them, and terser mangles them (bytes of the 6 KB core).
  return {
    touch,
    get id() {
      return state?.id;
    },
    __persist(p: boolean) {
      persist = p;
      if (p && state) {
        writeStored(KEYS.localStorage.session, state);
        if (windowId) writeStored(KEYS.sessionStorage.window, windowId, 'sessionStorage');
      }
    },
    /** Ends the session now (logout): the next event starts a new one. */
    __forget() {
      state = undefined;
      windowId = undefined;
    },
  };
};
export type Session = ReturnType<typeof createSession>;
