/** The page, rendered in Node (the SDK a no-op there). */
export function render(options?: { path?: string; server?: string }): string;
