import { MIN_INSTANT_MS, parseDateTime } from 'touchpoint/protocol';

/**
 * Corrects a client timestamp for the client's clock skew, as Segment does:
 * `timestamp = receivedAt − (sentAt − originalTimestamp)`.
 * The client's clock may be wrong, but the interval between two readings of
 * it is right; the server's clock anchors it. A result in the future is
 * clamped to `receivedAt`, one before year 0001 to 0001-01-01.
 */
export function correctTimestamp(originalTimestamp: string, sentAt: string, receivedAt: Date): Date {
  // The protocol's parser, not Date.parse: a leap second (`:60`) is valid RFC 3339 that Date.parse calls NaN.
  const original = parseDateTime(originalTimestamp) ?? receivedAt.getTime();
  const sent = parseDateTime(sentAt) ?? receivedAt.getTime();
  const received = receivedAt.getTime();
  const corrected = received - (sent - original);
  // Clamped into what a Date and every store can hold (sentAt 9999 with a timestamp 0001 would land before year 1).
  return new Date(Math.max(MIN_INSTANT_MS, Math.min(corrected, received)));
}
