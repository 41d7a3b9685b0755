/**
 * The friction signals the SDK tracks (src/autocapture/track-friction.ts), by
 * event name: clicks in anger, clicks on nothing, clicks the page answered
 * with an error. Every report that counts friction takes them from here.
 */
export const FRICTION = ['Rage Click', 'Dead Click', 'Error Click'] as const;
export type FrictionEvent = (typeof FRICTION)[number];
/** The names as an SQL list, `('Rage Click', …)` (constants: nothing to escape). */
export const FRICTION_IN = `(${FRICTION.map((n) => `'${n}'`).join(', ')})`;
