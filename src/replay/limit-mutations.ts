/** rrweb's event and source numbers we look at (from @rrweb/types, inlined: types only there). */
export const EVENT = { FullSnapshot: 2, Incremental: 3, Meta: 4 } as const;
export const SOURCE = { Mutation: 0, MouseMove: 1, MouseInteraction: 2, Scroll: 3, Input: 5, TouchMove: 6 } as const;

export interface RrEvent {
  type: number;
  timestamp: number;
  data: { source?: number; href?: string; attributes?: { id: number }[]; texts?: { id: number }[]; adds?: unknown[]; removes?: unknown[] } & Record<string, unknown>;
}

/**
 * Per-node mutation throttling: each node may change its attributes or text
 * `burst` times, refilled at `perSecond`. A runaway animation (a node
 * rewritten every frame) stops being recorded instead of flooding the
 * recorder, the upload and the player; everything else is untouched.
 */
export const limitMutations = (burst = 100, perSecond = 10, now = () => Date.now()) => {
  const buckets = new Map<number, { tokens: number; at: number }>();
  const allow = (id: number): boolean => {
    const t = now();
    const b = buckets.get(id) ?? { tokens: burst, at: t };
    b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond);
    b.at = t;
    buckets.set(id, b);
    if (b.tokens < 1) return false;
    b.tokens--;
    return true;
  };
  /** The event with throttled changes removed, or `undefined` when nothing is left. */
  return (e: RrEvent): RrEvent | undefined => {
    if (e.type !== EVENT.Incremental || e.data.source !== SOURCE.Mutation) return e;
    // Bounded memory: a page with very many mutating nodes starts counting afresh.
    if (buckets.size > 10_000) buckets.clear();
    const attributes = e.data.attributes?.filter((a) => allow(a.id)) ?? [];
    const texts = e.data.texts?.filter((x) => allow(x.id)) ?? [];
    if (!attributes.length && !texts.length && !e.data.adds?.length && !e.data.removes?.length) return undefined;
    return { ...e, data: { ...e.data, attributes, texts } };
  };
};
