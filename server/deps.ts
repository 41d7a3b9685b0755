import type { FastifyBaseLogger } from 'fastify';
import type { RateLimiter } from './lib/rate-limiter.js';
import type { ChatHub } from './chat/chat-hub.js';
import type { Presence } from './chat/presence.js';
import type { ChatService } from './chat/chat-service.js';
import type { Sites } from './sites.js';
import type { Store } from './store/store.js';
import type { Clock } from './lib/clock.js';
import type { AttachmentFiles } from './attachments/attachment-files.js';
import type { ScanFile } from './attachments/accept-upload.js';

/** What every route needs, built once per server instance. */
export interface Deps {
  store: Store;
  sites: Sites;
  /** Signs visitor tokens; the same for every instance on one store. */
  tokenSecret: string;
  /** Bearer token of the admin read API (and the conformance kit). */
  adminToken: string;
  limiter: RateLimiter;
  log: FastifyBaseLogger;
  hub: ChatHub;
  /** Agents' presence across instances (online / away / offline). */
  presence: Presence;
  chat: ChatService;
  /** Now, for every fact the server records or reports (see lib/clock.ts). */
  now: Clock;
  /** Chat attachments' bytes on disk (docs/deploy.md#attachments). */
  files: AttachmentFiles;
  /** The virus-scan hook every attachment passes before it is accepted; none: accepted as sniffed. */
  scan?: ScanFile | undefined;
}
