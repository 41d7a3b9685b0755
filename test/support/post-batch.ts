/** What a test seeds: the batch's events (and survey answers), as the SDK would send them. */
export interface SeedBatch {
  sentAt?: string;
  batch: unknown[];
  responses?: unknown[];
}

/**
 * Seeds a running server through its real ingest (`POST /v1/batch`,
 * docs/protocol.md), as the SDK sends — for journeys that need stored history
 * a browser would take minutes to make. `sentAt` defaults to now: give the
 * test's clock when the server runs on one.
 */
export function postBatch(serverUrl: string, site: string, seed: SeedBatch): Promise<Response> {
  return fetch(`${serverUrl}/v1/batch?site=${encodeURIComponent(site)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ protocol: 1, sentAt: seed.sentAt ?? new Date().toISOString(), batch: seed.batch, ...(seed.responses && { responses: seed.responses }) }),
  });
}
