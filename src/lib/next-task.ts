/**
 * Resolves in a later task, giving the page the main thread back: work split
 * at these points never adds up to a long task (> 50 ms) on a slow phone.
 * `setTimeout`, not `scheduler.yield()`: everywhere, and bytes. A hidden page
 * has nobody to give the thread to, and browsers throttle its timers (to one a
 * second, one a minute after five minutes): there it resolves at once, so a
 * tab opened in the background starts, and sends, without waiting on them.
 */
export const nextTask = (): Promise<unknown> => (document.hidden ? Promise.resolve() : new Promise((r) => setTimeout(r)));
