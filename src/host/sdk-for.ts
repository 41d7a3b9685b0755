import type { Touchpoint } from '../types.js';

/**
 * The SDK an element works with: the one it was given (its `sdk` property),
 * else the script tag's `window.touchpoint` once it is running (not the
 * snippet's stub) — the only place the global is read. A module of its own,
 * so that an element needing only this does not load hostOf with it.
 */
export const sdkFor = (given?: Touchpoint | undefined): Touchpoint | undefined => {
  if (given) return given;
  const g = (globalThis as { touchpoint?: unknown }).touchpoint as (Touchpoint & { q?: unknown }) | undefined;
  return g && typeof g.track === 'function' && !('q' in g) ? g : undefined;
};
