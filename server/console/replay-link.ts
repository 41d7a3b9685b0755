/** The console's deep link to a session's replay at a moment (epoch ms): the player opens just before it. */
export const replayLink = (sessionId: string, ts: number | null | undefined): string =>
  `/console/replays/${encodeURIComponent(sessionId)}${ts ? `?t=${ts}` : ''}`;
