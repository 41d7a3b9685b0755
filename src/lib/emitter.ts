/** A tiny typed event emitter; listener errors never reach the emitter's caller. */
export class Emitter<M extends Record<string, unknown[]>> {
  private readonly l: { [K in keyof M]?: Set<(...a: M[K]) => void> } = {};

  on<K extends keyof M>(name: K, fn: (...a: M[K]) => void): () => void {
    (this.l[name] ??= new Set()).add(fn);
    return () => this.l[name]?.delete(fn);
  }

  emit<K extends keyof M>(name: K, ...args: M[K]): void {
    this.l[name]?.forEach((fn) => {
      try {
        fn(...args);
      } catch {
        // A host's listener throwing must not break delivery.
      }
    });
  }
}
