/** A tiny typed event emitter; listener errors never reach the emitter's caller. */
export interface Emitter<M extends Record<string, unknown[]>> {
  on<K extends keyof M>(name: K, fn: (...a: M[K]) => void): () => void;
  emit<K extends keyof M>(name: K, ...args: M[K]): void;
}

/**
 * An emitter. A closure, not a class: its methods need no `this` (they can be
 * handed out as they are) and the core's minified code carries no `this.l`.
 */
export const createEmitter = <M extends Record<string, unknown[]>>(): Emitter<M> => {
  const l: { [K in keyof M]?: Set<(...a: M[K]) => void> } = {};
  return {
    on: (name, fn) => {
      (l[name] ??= new Set()).add(fn);
      return () => l[name]?.delete(fn);
    },
    emit: (name, ...args) =>
      l[name]?.forEach((fn) => {
        try {
          fn(...args);
        } catch {
          // A host's listener throwing must not break delivery.
        }
      }),
  };
};
