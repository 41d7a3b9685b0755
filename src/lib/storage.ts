import { KEYS, type StoredKey } from './storage-keys.js';

/**
 * JSON values in localStorage or sessionStorage under the keys of
 * storage-keys.ts, every access in try/catch: storage can be disabled, full,
 * or throw on access (Safari private mode, sandboxed iframes).
 */
export const readStored = <T>(key: StoredKey, area: 'localStorage' | 'sessionStorage' = 'localStorage'): T | undefined => {
  try {
    const raw = globalThis[area].getItem(KEYS.prefix + key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  } catch {
    return undefined;
  }
};

/** Writes `value` as JSON under the SDK's prefix; without a value, removes the key. Never throws. */
export const writeStored = (key: StoredKey, value?: unknown, area: 'localStorage' | 'sessionStorage' = 'localStorage'): void => {
  try {
    if (value === undefined) globalThis[area].removeItem(KEYS.prefix + key);
    else globalThis[area].setItem(KEYS.prefix + key, JSON.stringify(value));
  } catch {
    // Quota or disabled storage: the SDK keeps working from memory.
  }
};

/** Removes every key of ours from both storage areas (logout, consent withdrawal). */
export const clearStored = (): void => {
  for (const area of ['localStorage', 'sessionStorage'] as const) {
    try {
      const s = globalThis[area];
      for (let i = s.length - 1; i >= 0; i--) {
        const k = s.key(i);
        if (k?.startsWith(KEYS.purge)) s.removeItem(k);
      }
    } catch {
      // Nothing stored, nothing to clear.
    }
  }
};
