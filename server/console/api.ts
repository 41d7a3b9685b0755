/** The console's calls to the agent API (same origin, cookie session). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * An error as a sentence a person can act on (error-state.ts shows it with a
 * Retry). A client error keeps the server's documented message ("?from:
 * expected a date"); a server fault or a lost connection never shows its raw
 * text — it says what happened and that retrying may help.
 */
export const explainError = (status: number, message: string | undefined): string =>
  status === 0
    ? 'The server could not be reached. Check the connection, then retry.'
    : status >= 500
      ? `The server could not answer (error ${status}). Retry in a moment; if it keeps failing, the server's log says why.`
      : status === 401
        ? 'Your session has ended. Sign in again.'
        : (message ?? `The request was refused (error ${status}).`);

/** GET, or POST when there is a body; `method` for the others (DELETE). */
export const api = async <T>(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<T> => {
  let res: Response;
  let text: string;
  try {
    res = await fetch(`/v1/agent${path}`, body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    text = await res.text();
  } catch {
    throw new ApiError(0, explainError(0, undefined));
  }
  let json: { error?: { message?: string } } | undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // A proxy's HTML error page: not ours to show.
    json = undefined;
  }
  if (!res.ok) throw new ApiError(res.status, explainError(res.status, json?.error?.message));
  return json as T;
};

/** The inbox's rows, as the route's response schema declares them (one source: the repository that selects them). */
export type { ConversationSummary } from '../repositories/conversation-summaries.js';
/** A site's deliveries (Settings), as the route's response schema declares them. */
export type { DeliveryReport } from '../repositories/delivery-report.js';
/** One survey of the picker, as the route's response schema declares it. */
export type { SurveySummary } from '../repositories/survey-summaries.js';
