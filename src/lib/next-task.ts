/**
 * Resolves in a later task, giving the page the main thread back: work split
 * at these points never adds up to a long task (> 50 ms) on a slow phone.
 * `setTimeout`, not `scheduler.yield()`: everywhere, and bytes. Hidden tabs
 * stretch it to a second; the SDK finishes its work synchronously on page hide.
 */
export const nextTask = (): Promise<unknown> => new Promise((r) => setTimeout(r));
