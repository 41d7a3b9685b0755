import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStored } from '../../src/lib/storage.js';
import { KEYS } from '../../src/lib/storage-keys.js';

const MODULE = 'src/lib/storage-keys.ts';

/** Every .ts/.js file under `dir`, recursively. */
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.(ts|js)$/.test(e.name) ? [join(dir, e.name)] : []));

/** The code without its comments (which may name a key, as documentation). */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

/**
 * Where a file spells a storage key itself instead of taking it from
 * storage-keys.ts: a literal in our namespaces (`tp:…`, `tp_…`, the
 * `touchpoint…` databases, an object store), or a literal handed straight to
 * a storage API.
 */
export const keyLiterals = (text: string): string[] => {
  const c = code(text);
  const found = [
    // A literal (or a template's text) beginning with a namespace of ours.
    ...c.matchAll(/(['"`])(tp[:_][^'"`]*|touchpoint-(?:chat|replay)[^'"`]*|(?:outbox|meta):v\d[^'"`]*)/g),
    // The databases' own name, where it is one (not the library's name or the Trusted Types policy).
    ...c.matchAll(/\b(?:indexedDB\.open|deleteDatabase|openOutbox\([^)]*|idbOutbox\([^)]*)\(?\s*(['"`])touchpoint\1/g),
    // A literal as the key of a storage call.
    ...c.matchAll(/\b(?:readStored|writeStored|getItem|setItem|removeItem|request|BroadcastChannel|objectStore|createObjectStore|deleteObjectStore)\s*(?:<[^()]*?>)?\(\s*(['"`](?!\$)[^'"`]*)/g),
  ];
  return found.map((m) => m[0]);
};

describe('storage keys (src/lib/storage-keys.ts)', () => {
  it('are the only place src/ spells a key', () => {
    const offenders = files('src')
      .filter((f) => f !== MODULE)
      .flatMap((f) => keyLiterals(readFileSync(f, 'utf8')).map((l) => `${f}: ${l}`));
    expect(offenders).toEqual([]);
  });

  it('the check finds a key spelled in place, in each form it looks for', () => {
    expect(keyLiterals("writeStored('user', u);")).toHaveLength(1);
    expect(keyLiterals("readStored<{ k: string }>('replay-seq', 'sessionStorage')")).toHaveLength(1);
    expect(keyLiterals('if (k.startsWith(`tp:v1:${SPILL}:`)) keys.push(k);')).toHaveLength(1);
    expect(keyLiterals("document.cookie = 'tp_anon=' + id;")).toHaveLength(1);
    expect(keyLiterals("openOutbox(CAP, undefined, undefined, undefined, 'touchpoint-chat')")).toHaveLength(1);
    expect(keyLiterals("const r = indexedDB.open('touchpoint', 2);")).toHaveLength(1);
    expect(keyLiterals("d.createObjectStore('outbox:v2', { keyPath: 'id' })")).toHaveLength(2);
    expect(keyLiterals("navigator.locks.request('flush', fn)")).toHaveLength(1);
    // Not keys: the library's name, a key in a comment, a key from the module.
    expect(keyLiterals("library: { name: 'touchpoint', version }")).toEqual([]);
    expect(keyLiterals('/** Stored under `tp:v1:surveys`. */\n// tp:v1:user\nwriteStored(KEYS.localStorage.user, u);')).toEqual([]);
  });

  it('are unique within each area, and no key begins with a spill prefix', () => {
    const areas = Object.entries(KEYS).filter(([, v]) => typeof v === 'object') as [string, Record<string, string>][];
    for (const [area, keys] of areas) expect(new Set(Object.values(keys)).size, area).toBe(Object.values(keys).length);
    // localStorage and sessionStorage share a prefix and one purge.
    const stored = [...Object.values(KEYS.localStorage), ...Object.values(KEYS.sessionStorage)];
    expect(new Set(stored).size).toBe(stored.length);
    // A spill key is found by its prefix: no other key may begin with one.
    for (const spill of stored.filter((k) => k.endsWith(':'))) expect(stored.filter((k) => k !== spill && k.startsWith(spill)), spill).toEqual([]);
    expect(KEYS.prefix.startsWith(KEYS.purge)).toBe(true);
    for (const lock of Object.values(KEYS.lock)) expect(lock.startsWith(KEYS.purge)).toBe(true);
  });

  it('keep the names visitors already have stored (changing one forgets what they hold)', () => {
    const stored = (area: Record<string, string>) => Object.values(area).map((k) => KEYS.prefix + k);
    expect(stored(KEYS.localStorage)).toEqual([
      'tp:v1:anon',
      'tp:v1:user',
      'tp:v1:session',
      'tp:v1:consent',
      'tp:v1:attribution',
      'tp:v1:chat',
      'tp:v1:surveys',
      'tp:v1:replay',
      'tp:v1:outbox:',
      'tp:v1:chat-spill:',
      'tp:v1:replay-spill:',
    ]);
    expect(stored(KEYS.sessionStorage)).toEqual(['tp:v1:window', 'tp:v1:replay-seq', 'tp:v1:help']);
    expect(KEYS.cookie).toEqual({ anon: 'tp_anon' });
    expect(KEYS.indexedDB).toEqual({ outbox: 'touchpoint', chat: 'touchpoint-chat', replay: 'touchpoint-replay', replayBuffer: 'touchpoint-replay-buffer' });
    expect(KEYS.objectStore).toEqual({ itemsV1: 'outbox:v1', items: 'outbox:v2', meta: 'meta:v1' });
    expect(KEYS.lock).toEqual({ flush: 'tp:v1:flush', replay: 'tp:v1:replay', chat: 'tp:v1:chat:' });
  });

  it('are the only keys the storage functions take (a typecheck error otherwise)', () => {
    // @ts-expect-error: not a key of storage-keys.ts
    expect(readStored('user-v2')).toBeUndefined();
    // @ts-expect-error: a key's name with more after it is not a key; only spill keys take an id
    expect(readStored(`${KEYS.localStorage.user}x`)).toBeUndefined();
    expect(readStored(`${KEYS.localStorage.outboxSpill}page`)).toBeUndefined();
  });
});
