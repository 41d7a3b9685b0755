/**
 * Every name the SDK keeps data under in the browser, or shares between its
 * tabs: the one definition (test/node/storage-keys.test.ts fails on a key
 * literal anywhere else in src/). By area: localStorage and sessionStorage
 * (JSON values through lib/storage.ts, each under `prefix` + key: `session`
 * is `tp:v1:session` in the browser), the cookie, IndexedDB databases and
 * object stores, Web Locks and BroadcastChannel names.
 *
 * Versioned: the version of a stored shape is in its name. `v1` in `prefix`
 * is every storage key's today; a key whose shape changes takes a new name
 * that says its version (`session:v2`, as the object stores do), and the old
 * one is read once as a migration (idb-outbox.ts moves `outbox:v1` into
 * `outbox:v2` that way). ONCE SHIPPED, A KEY'S VALUE MUST NOT CHANGE: it is
 * what returning visitors' browsers hold. (`v1:` in each key instead of the
 * prefix cost the core +11 B gzip and the help-rules chunk +8 B.)
 *
 * Costs no bytes: the build (rollup.config.mjs, `tp-inline-keys`) replaces
 * each `KEYS.area.name` with its literal, and this module is tree-shaken
 * away. Read members only (no `KEYS.area` object passed around), or the
 * build fails.
 */
export const KEYS = {
  localStorage: {
    /** The anonymous id (a string). */
    anon: 'anon',
    /** `UserState` (core/identity.ts): user id and traits. */
    user: 'user',
    /** `SessionState` (core/session.ts), shared by the tabs. */
    session: 'session',
    /** The stored consent decision (core/consent.ts). */
    consent: 'consent',
    /** First, session and last touch (core/attribution.ts). */
    attribution: 'attribution',
    /** The conversation remembered on this device (chat/stored-conversation.ts). */
    chat: 'chat',
    /** `SurveyMemory` (survey/eligibility.ts): cooldowns. */
    surveys: 'surveys',
    /** This session's replay mode (replay/start-replay.ts). */
    replay: 'replay',
    /** Prefix, + page id: outbox items a page going away had not written to IndexedDB. */
    outboxSpill: 'outbox:',
    /** Prefix, + tab id: chat messages a tab going away had not seen confirmed. */
    chatSpill: 'chat-spill:',
    /** Prefix, + chunk id: a replay chunk a page going away had not stored. */
    replaySpill: 'replay-spill:',
  },
  sessionStorage: {
    /** This tab's window id (a string). */
    window: 'window',
    /** The replay chunk numbering of this (session, tab). */
    replaySeq: 'replay-seq',
    /** `HelpMemory` (help-rules/match-rule.ts): what fired this session. */
    help: 'help',
  },
  cookie: {
    /** The anonymous id on a parent domain (`cookieDomain`), shared by sub-domains. */
    anon: 'tp_anon',
  },
  /** Databases; their schema version is IndexedDB's own (`indexedDB.open(name, 2)`). */
  indexedDB: {
    outbox: 'touchpoint',
    chat: 'touchpoint-chat',
    replay: 'touchpoint-replay',
    replayBuffer: 'touchpoint-replay-buffer',
  },
  /** Object stores of every outbox database (core/idb-outbox.ts). */
  objectStore: {
    /** Until version 2 of a database: one record per item; moved into `items` at upgrade. */
    itemsV1: 'outbox:v1',
    items: 'outbox:v2',
    meta: 'meta:v1',
  },
  /** Web Locks and BroadcastChannel names: the SDK's tabs, whatever version each runs, agree on them. */
  lock: {
    /** One tab at a time delivers events. */
    flush: 'tp:v1:flush',
    /** One tab at a time uploads replay chunks. */
    replay: 'tp:v1:replay',
    /** Prefix, + site key: the chat's leader lock and tab channel. */
    chat: 'tp:v1:chat:',
  },
  /** Before every localStorage and sessionStorage key (lib/storage.ts). */
  prefix: 'tp:v1:',
  /** Before every key of any version: what a purge (logout, consent withdrawn) removes. */
  purge: 'tp:',
} as const;

type Values<T> = T[keyof T];
type Stored = Values<typeof KEYS.localStorage> | Values<typeof KEYS.sessionStorage>;
/** A key of either storage area (without `prefix`), or a spill key (one ending in `:`) with its id: never any other string. */
export type StoredKey = Stored | `${Extract<Stored, `${string}:`>}${string}`;
