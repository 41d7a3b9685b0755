/**
 * Where a timeline marker sits in a recording, in ms from its start: clamped to
 * the recording, so an event a moment before the first frame (a page view
 * recorded just before rrweb's snapshot) sits at 0:00 and never at a negative
 * position over the time label.
 */
export const markerOffset = (t: number, start: number, total: number): number => Math.min(Math.max(t - start, 0), Math.max(total, 0));
