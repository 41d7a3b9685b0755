/** True in a page with a DOM; false in Node (SSR), workers and Deno without `document`. */
// A function, not a constant: bundlers may evaluate modules before a test sets up a DOM.
export const isBrowser = (): boolean => typeof window < 'u' && typeof document < 'u';
