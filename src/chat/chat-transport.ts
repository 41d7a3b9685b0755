import { API_PREFIX, PROTOCOL_VERSION } from '../protocol/constants.js';
import { warn } from '../lib/warn.js';

/** A verified identity: the SDK's userId and the userHash the site's backend signed. */
export interface ChatIdentity {
  userId: string;
  userHash: string;
}

/** A request the server answered with an error (`status`), or none at all (0: offline, DNS, CORS). */
export const httpFailure = (what: string, status: number): Error & { status: number } => Object.assign(new Error(`${what}: ${status}`), { status });

const TEXT = { 'content-type': 'text/plain' };

/**
 * HTTP for the chat (docs/protocol.md §10): the visitor token and every
 * request carrying it. Plain-text bodies keep requests CORS-simple (no
 * preflight). Paths are under `API_PREFIX`, like every SDK request.
 */
export class ChatTransport {
  private __token: Promise<string> | undefined;
  /** The server refused the identity: the conversation goes on anonymously (never a dead launcher). */
  private __refused = false;

  constructor(
    private readonly __endpoint: string,
    readonly __siteKey: string,
    private readonly __anonymousId: () => string,
    private readonly __identity?: () => ChatIdentity | undefined,
  ) {}

  /** The identity the token carries: none once the server refused it. */
  __verified(): ChatIdentity | undefined {
    return this.__refused ? undefined : this.__identity?.();
  }

  __url(path: string): string {
    return `${this.__endpoint.replace(/\/$/, '')}${API_PREFIX}${path}`;
  }

  /** Asks for a new token on the next request (expired, or the visitor changed). */
  __forget(): void {
    this.__token = undefined;
  }

  __getToken(): Promise<string> {
    return (this.__token ??= this.__requestToken().catch((e) => {
      this.__token = undefined;
      throw e;
    }));
  }

  private async __requestToken(): Promise<string> {
    const id = this.__verified();
    const res = await fetch(this.__url('/visitor'), { method: 'POST', headers: TEXT, body: JSON.stringify({ protocol: PROTOCOL_VERSION, siteKey: this.__siteKey, anonymousId: this.__anonymousId(), ...id }) });
    // A userHash that does not verify (a wrong secret, a stale hash) would refuse every message:
    // chat on as the anonymous visitor instead, and say why while developing.
    if (id && res.status >= 400 && res.status < 404) {
      this.__refused = true;
      if (DEV_MODE) warn('chat-identity-refused', `The server refused the chat's userHash for userId "${id.userId}" (HTTP ${res.status}): the visitor chats anonymously. userHash must be HMAC-SHA256(site secret, userId) in hex (docs/chat.md#verified-identity-continuing-across-devices).`);
      return this.__requestToken();
    }
    if (!res.ok) throw httpFailure('visitor token', res.status);
    return ((await res.json()) as { token: string }).token;
  }

  /** GET under `/chat` with the site and token in the query (EventSource-style, no body). */
  async __get<T>(path: string, query = ''): Promise<T> {
    const res = await fetch(await this.__signed(path, query));
    if (!res.ok) throw httpFailure(path, res.status);
    return (await res.json()) as T;
  }

  /** A `/chat` URL with the site and a token: for GETs and the EventSource. */
  async __signed(path: string, query = ''): Promise<string> {
    return `${this.__url(`/chat${path}`)}?site=${encodeURIComponent(this.__siteKey)}&token=${encodeURIComponent(await this.__getToken())}${query}`;
  }

  /** POST under `/chat`; an expired token (401) is renewed once. */
  async __post<T>(path: string, body: Record<string, unknown>): Promise<T> {
    const send = async () => fetch(this.__url(`/chat${path}`), { method: 'POST', headers: TEXT, body: JSON.stringify({ protocol: PROTOCOL_VERSION, siteKey: this.__siteKey, token: await this.__getToken(), ...body }) });
    let res = await send();
    if (res.status === 401) {
      this.__forget();
      res = await send();
    }
    if (!res.ok) throw httpFailure(`chat ${path}`, res.status);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }
}
