/**
 * Corrects a client timestamp for the client's clock skew, as Segment does:
 * `timestamp = receivedAt − (sentAt − originalTimestamp)`.
 * The client's clock may be wrong, but the interval between two readings of
 * it is right; the server's clock anchors it. A result in the future is
 * clamped to `receivedAt`.
 */
export function correctTimestamp(originalTimestamp: string, sentAt: string, receivedAt: Date): Date {
  const original = Date.parse(originalTimestamp);
  const sent = Date.parse(sentAt);
  const received = receivedAt.getTime();
  const corrected = received - (sent - original);
  return new Date(Math.min(corrected, received));
}
