/** Returns `verify(signatureHeader, rawBody)`: true only for a valid, fresh, not-yet-seen webhook. */
export function createVerifier(secret: string, options?: { now?: () => number; seen?: Map<string, number> }): (header: string | string[] | undefined, rawBody: string) => boolean;
export const TOLERANCE_SECONDS: number;
