/**
 * Versioned keys in localStorage, every access in try/catch: storage can be
 * disabled, full, or throw on access (Safari private mode, sandboxed iframes).
 */
const PREFIX = 'tp:v1:';

export const readStored = <T>(key: string, area: 'localStorage' | 'sessionStorage' = 'localStorage'): T | undefined => {
  try {
    const raw = globalThis[area].getItem(PREFIX + key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  } catch {
    return undefined;
  }
};

export const writeStored = (key: string, value: unknown, area: 'localStorage' | 'sessionStorage' = 'localStorage'): void => {
  try {
    if (value === undefined) globalThis[area].removeItem(PREFIX + key);
    else globalThis[area].setItem(PREFIX + key, JSON.stringify(value));
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
        if (k?.startsWith('tp:')) s.removeItem(k);
      }
    } catch {
      // Nothing stored, nothing to clear.
    }
  }
};
