import { rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import cookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { API_PREFIX } from 'touchpoint/protocol';
import type { Deps } from './deps.js';
import { ApiError } from './lib/api-error.js';
import { RateLimiter, trustProxyFromEnv, type TrustProxy } from './lib/rate-limiter.js';
import { clientErrorHandler, frameworkErrors, registerApiFallback, sendApiError, toApiError } from './lib/error-handler.js';
import { registerStatics, type StaticOptions } from './lib/serve-static.js';
import { useRouteSchemas } from './lib/route-schemas.js';
import { endAllStreams } from './lib/sse.js';
import { registerAdmin } from './routes/admin.js';
import { registerAgent } from './routes/agent.js';
import { registerAgentSurveys } from './routes/agent-surveys.js';
import { registerAgentReplays } from './routes/agent-replays.js';
import { registerAgentConsent } from './routes/agent-consent.js';
import { registerAgentCustomers } from './routes/agent-customers.js';
import { registerAgentAttribution } from './routes/agent-attribution.js';
import { registerChannels } from './routes/channels.js';
import { registerAgentDeliveries } from './routes/agent-deliveries.js';
import { registerAgentSettings } from './routes/agent-settings.js';
import { DeliveryWorker, type DeliveryOptions } from './integrations/delivery-worker.js';
import { RetentionWorker, type RetentionOptions } from './privacy/retention-worker.js';
import { registerAgentPrivacy } from './routes/agent-privacy.js';
import { registerChannelsEmail } from './routes/channels-email.js';
import { registerChannelsMeta } from './routes/channels-meta.js';
import { registerAgentChannels } from './routes/agent-channels.js';
import { registerAgentAttachments } from './routes/agent-attachments.js';
import { registerAgentJourneys } from './routes/agent-journeys.js';
import { registerChatAttachments } from './routes/chat-attachments.js';
import { AttachmentFiles } from './attachments/attachment-files.js';
import { defaultAttachmentsDir } from './attachments/attachment-options.js';
import type { ScanFile } from './attachments/accept-upload.js';
import { channelOptionsFromEnv, type ChannelOptions } from './channels/channel-options.js';
import { channelSender } from './channels/channel-sender.js';
import { SmtpListener } from './channels/smtp-listener.js';
import { registerChat } from './routes/chat.js';
import { registerReplay } from './routes/replay.js';
import { ChatHub } from './chat/chat-hub.js';
import { Presence, type PresenceOptions } from './chat/presence.js';
import { WaitingMail, type WaitingMailOptions } from './notify/waiting-mail.js';
import { registerAgentPresence } from './routes/agent-presence.js';
import { ChatService } from './chat/chat-service.js';
import { loadFaq } from './chat/bot.js';
import { registerBatch } from './routes/batch.js';
import { registerSiteConfig } from './routes/site-config.js';
import { registerVisitor } from './routes/visitor.js';
import { Sites, serverSecret } from './sites.js';
import type { Store } from './store/store.js';
import { systemClock, type Clock } from './lib/clock.js';

export interface AppOptions {
  store: Store;
  logger?: FastifyServerOptions['logger'];
  /** Requests per second per client and site; 0 turns limiting off (benchmarks). */
  rateLimit?: { perSecond: number; burst: number };
  /** Outbound forwarding and webhooks (`false`: no worker on this instance). */
  deliveries?: DeliveryOptions | false;
  /** Each site's retention applied on a schedule (`false`: not on this instance). */
  retention?: RetentionOptions | false;
  /** Admin API token; by default one generated once and kept in the store. */
  adminToken?: string;
  /** Folders served as static files (demo site, CDN build, console). */
  statics?: StaticOptions[];
  /** The clock for every recorded and reported fact (tests pass their own; see lib/clock.ts). */
  now?: Clock;
  /** Agents' presence: the away delay, the connection lease, heartbeat and tick (server/chat/presence.ts). */
  presence?: PresenceOptions;
  /** The e-mail to agents when a conversation waits unanswered (`false`: not from this instance); sent through `channels.relay`. */
  waitingMail?: WaitingMailOptions | false;
  /** How long a closing server goes on answering new requests with 503 while they keep coming (default 1 s). */
  shutdownGraceMs?: number;
  /** Fastify's `trustProxy`; by default `TOUCHPOINT_TRUST_PROXY` (docs/deploy.md), else off. */
  trustProxy?: TrustProxy;
  /** E-mail and Meta channels: the SMTP listener, the relay for replies, the Graph API's URL; by default from TOUCHPOINT_SMTP_* and TOUCHPOINT_GRAPH_URL (docs/channels.md). */
  channels?: ChannelOptions;
  /** Chat attachments' folder (docs/deploy.md#attachments); by default ATTACHMENTS_DIR, else a temporary folder. */
  attachmentsDir?: string;
  /** The virus-scan hook every attachment passes (docs/deploy.md#attachments). */
  scanAttachment?: ScanFile;
}

/** Builds the reference server: protocol routes, error mapping, CORS, statics. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    // X-Forwarded-For only from configured proxies: otherwise a client picks its own address (and rate-limit bucket).
    trustProxy: options.trustProxy ?? trustProxyFromEnv(),
    // Every error of Fastify's router and of Node's HTTP parser in the documented shape (docs/protocol.md §6).
    frameworkErrors,
    clientErrorHandler,
    // Off: the shutdown section below answers 503 itself, with Retry-After and the documented body.
    return503OnClosing: false,
    // One line per error is enough; request logs at this volume are noise.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 2 * 1024 * 1024,
  });

  // Browsers send CORS-simple `text/plain` bodies (no preflight); curl and
  // servers send `application/json`. Both are JSON, read raw: the route
  // decides on gzip and size before parsing.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['text/plain', 'application/json'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    if (origin && req.url.startsWith(API_PREFIX)) {
      // Echo the origin so the SDK can read our status codes, even for errors;
      // the allow-list itself is enforced per site in requireSite().
      reply.header('access-control-allow-origin', origin).header('vary', 'origin').header('access-control-expose-headers', 'retry-after');
    }
  });
  app.options(`${API_PREFIX}/*`, async (_req, reply) =>
    reply
      .code(204)
      .header('access-control-allow-methods', 'GET, POST, OPTIONS')
      .header('access-control-allow-headers', 'content-type, last-event-id')
      .header('access-control-max-age', '86400')
      .send(),
  );

  // Every route's `schema` is checked by the protocol's own validator: the documented codes and paths.
  useRouteSchemas(app);
  // The agent session cookie (read into `req.cookies`, written with `reply.setCookie`); signed by agents.ts.
  await app.register(cookie);
  app.setErrorHandler((err, req, reply) => sendApiError(reply, toApiError(err, req)));
  registerApiFallback(app);
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(new ApiError('not_found', `No route ${req.method} ${req.url.split('?')[0]}.`).toBody()),
  );

  const hub = new ChatHub(options.store, app.log);
  await hub.start();
  app.addHook('onClose', () => hub.stop());
  const presence = new Presence(options.store, options.now ?? systemClock, app.log, options.presence);
  await presence.start();
  app.addHook('onClose', () => presence.stop());
  // Graceful shutdown: in-flight requests finish; long-lived event streams end
  // now (EventSource reconnects elsewhere); every request that arrives from the
  // moment close() begins — on a new connection or a kept-alive one — is
  // answered 503 `unavailable` with Retry-After and `Connection: close`. Node's
  // server.close() would refuse new connections and reset idle kept-alive ones
  // at once (a client sending on one saw a reset, #19): the listener stays open
  // until no request has come for 100 ms, at most `shutdownGraceMs`.
  let closing = false;
  let lastRequest = 0;
  app.addHook('onRequest', async (_req, reply) => {
    lastRequest = performance.now();
    if (closing) return reply.code(503).header('retry-after', '2').header('connection', 'close').send(new ApiError('unavailable', 'The server is shutting down; retry later.').toBody());
  });
  // Requests in flight per socket. A socket that connected but never sent a
  // request (a browser's speculative preconnect, a fetch aborted while
  // connecting) is not "idle" to Node: server.close() waited for it until
  // headersTimeout, 60 s (the two-instance presence test hung on one).
  const inFlight = new Map<Socket, number>();
  app.server.on('connection', (socket: Socket) => {
    inFlight.set(socket, 0);
    socket.once('close', () => inFlight.delete(socket));
  });
  app.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    res.once('close', () => inFlight.has(socket) && inFlight.set(socket, inFlight.get(socket)! - 1));
  });
  // A request in flight when close() began is answered, and its socket closed after it: kept alive, the socket
  // held server.close() for keepAliveTimeout, 72 s, past any orchestrator's stop timeout.
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('preClose', async () => {
    closing = true;
    endAllStreams(app);
    const start = (lastRequest = performance.now());
    while (performance.now() - lastRequest < 100 && performance.now() - start < (options.shutdownGraceMs ?? 1_000)) await new Promise((r) => setTimeout(r, 20));
    // Past the grace period a socket with no request is closed: a request it might still send would only hear 503.
    for (const [socket, n] of inFlight) if (n === 0) socket.destroy();
  });
  const sites = new Sites(options.store, options.now);
  const now = options.now ?? systemClock;
  const attachmentsDir = options.attachmentsDir ?? defaultAttachmentsDir();
  // A folder made for this server alone (no directory given, no ATTACHMENTS_DIR) goes with it: test runs left a thousand behind in /tmp.
  if (!options.attachmentsDir && !process.env.ATTACHMENTS_DIR) app.addHook('onClose', () => rm(attachmentsDir, { recursive: true, force: true }));
  const deps: Deps = {
    store: options.store,
    sites,
    tokenSecret: await serverSecret(options.store),
    adminToken: options.adminToken ?? (await serverSecret(options.store, 'admin_token')),
    limiter: new RateLimiter(options.rateLimit?.perSecond ?? 50, options.rateLimit?.burst ?? 200),
    log: app.log,
    hub,
    presence,
    chat: new ChatService(options.store, hub, loadFaq(), () => presence.anyOnline(), (key) => sites.get(key), now),
    now,
    files: new AttachmentFiles(attachmentsDir),
    scan: options.scanAttachment,
  };
  app.decorate('deps', deps);
  const channels = options.channels ?? channelOptionsFromEnv();
  if (options.deliveries !== false) {
    const sender = channelSender(options.store, () => deps.chat, channels, deps.files);
    app.addHook('onClose', async () => sender.close());
    const worker = new DeliveryWorker(options.store, sites, app.log, { now, ...options.deliveries }, sender);
    app.addHook('onReady', async () => worker.start());
    app.addHook('onClose', () => worker.stop());
    app.decorate('deliveries', worker);
  }
  if (options.retention !== false) {
    const retention = new RetentionWorker(options.store, now, app.log, options.retention, deps.files);
    app.addHook('onReady', async () => retention.start());
    app.addHook('onClose', () => retention.stop());
  }

  if (channels.smtp) {
    const smtp = new SmtpListener(deps, channels.smtp);
    app.addHook('onReady', () => smtp.start());
    app.addHook('onClose', () => smtp.stop());
    app.decorate('smtp', smtp);
  }

  // Only with a relay to send through: without one there is no one to tell, and nothing is claimed.
  if (options.waitingMail !== false && channels.relay) {
    const waiting = new WaitingMail(options.store, sites, now, app.log, channels.relay, options.waitingMail);
    app.addHook('onReady', async () => waiting.start());
    app.addHook('onClose', () => waiting.stop());
    app.decorate('waitingMail', waiting);
  }

  app.get('/healthz', async () => ({ ok: true, store: options.store.kind }));
  registerBatch(app, deps);
  registerVisitor(app, deps);
  registerSiteConfig(app, deps);
  registerAdmin(app, deps);
  registerChat(app, deps);
  registerReplay(app, deps);
  registerAgent(app, deps);
  registerAgentSurveys(app, deps);
  registerAgentReplays(app, deps);
  registerAgentConsent(app, deps);
  registerAgentCustomers(app, deps);
  registerAgentAttribution(app, deps);
  registerChannels(app, deps);
  registerAgentDeliveries(app, deps);
  registerAgentSettings(app, deps);
  registerAgentPrivacy(app, deps);
  registerChannelsEmail(app, deps);
  registerChannelsMeta(app, deps);
  registerAgentChannels(app, deps, channels);
  registerAgentAttachments(app, deps);
  registerChatAttachments(app, deps);
  registerAgentJourneys(app, deps);
  registerAgentPresence(app, deps);
  await registerStatics(app, options.statics ?? []);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: Deps;
    /** The outbound delivery worker (absent with `deliveries: false`). */
    deliveries?: DeliveryWorker;
    /** The SMTP listener for inbound mail (when configured). */
    smtp?: SmtpListener;
    /** The waiting-conversation e-mail worker (when a relay is configured). */
    waitingMail?: WaitingMail;
  }
}
