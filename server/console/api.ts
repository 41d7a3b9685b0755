/** The console's calls to the agent API (same origin, cookie session). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** GET, or POST when there is a body; `method` for the others (DELETE). */
export const api = async <T>(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<T> => {
  const res = await fetch(`/v1/agent${path}`, body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new ApiError(res.status, json?.error?.message ?? res.statusText);
  return json as T;
};

/** The inbox's rows, as the route's response schema declares them (one source: the repository that selects them). */
export type { ConversationSummary } from '../repositories/conversation-summaries.js';
/** A site's deliveries (Settings), as the route's response schema declares them. */
export type { DeliveryReport } from '../repositories/delivery-report.js';
/** One survey of the picker, as the route's response schema declares it. */
export type { SurveySummary } from '../repositories/survey-summaries.js';
