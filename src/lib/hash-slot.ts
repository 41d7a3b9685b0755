/**
 * A number in [0, 1) fixed by its key (FNV-1a, 32 bit). Sampling compares it
 * with a rate: the same visitor, survey or session lands on the same side on
 * every trigger and every reload, unlike a fresh `Math.random()` each time.
 */
export const hashSlot = (key: string): number => {
  let h = 0x811c9dc5;
  for (const ch of key) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 2 ** 32;
};
