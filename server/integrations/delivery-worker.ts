import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../store/store.js';
import type { Sites } from '../sites.js';
import { backoff } from 'touchpoint/protocol';
import { integrationsOf } from './integrations-config.js';
import { signWebhook } from './webhook-signature.js';
import { isoNow, systemClock, type Clock } from '../lib/clock.js';

export interface DeliveryOptions {
  /** How often each instance looks for due deliveries. */
  intervalMs?: number;
  /** First retry delay (doubles, jittered, capped at an hour). */
  baseDelayMs?: number;
  /** After this many failed attempts a delivery is dead (a dead letter in the console). */
  maxAttempts?: number;
  /** Per request. */
  timeoutMs?: number;
  /**
   * Stamps `delivered_at`, the fact retention reads (the app's clock: server/lib/clock.ts).
   * Due times and leases stay on the database's own now(), compared only with itself.
   */
  now?: Clock;
}

export interface SendResult {
  status: number;
  error?: string;
  retryAfterMs?: number;
}

/**
 * Sends a `mail` or `graph` delivery (server/channels/channel-sender.ts) and
 * answers in HTTP terms: 2xx sent, 408/429/5xx/0 retried, others dead.
 * `final`: no retry follows a failure of this attempt.
 */
export type ChannelSend = (d: { id: string; siteKey: string; kind: 'mail' | 'graph'; target: string; payload: Record<string, unknown>; final: boolean }) => Promise<SendResult>;

interface Claimed {
  id: string;
  site_key: string;
  kind: 'forward' | 'webhook' | 'reply' | 'mail' | 'graph';
  target: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/** 2xx delivered; 408, 429 and 5xx (and network errors) retried; any other answer will not change by itself. */
const retryable = (status: number) => status === 0 || status === 408 || status === 429 || status >= 500;
const LEASE_SECONDS = 60;

/**
 * Sends the `deliveries` table out, on every instance: claims due rows with
 * SKIP LOCKED and a lease (another instance never sends them meanwhile; a
 * crashed one's lease just expires), sends, then marks each row done, or
 * schedules its retry with jittered backoff, or — after the last attempt or a
 * refusal — dead.
 */
export class DeliveryWorker {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;
  private readonly o: Required<DeliveryOptions>;

  constructor(
    private readonly store: Store,
    private readonly sites: Sites,
    private readonly log: FastifyBaseLogger,
    options: DeliveryOptions = {},
    private readonly channelSend?: ChannelSend,
  ) {
    this.o = { intervalMs: 1_000, baseDelayMs: 2_000, maxAttempts: 8, timeoutMs: 10_000, now: systemClock, ...options };
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.o.intervalMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One round (exposed for tests): returns how many deliveries were attempted. */
  tick(): Promise<void> {
    return (this.running ??= this.round()
      .catch((err) => this.log.warn({ err }, 'delivery round failed'))
      .finally(() => (this.running = undefined)));
  }

  private async round() {
    const claimed = await this.store.transaction(async (tx) => {
      const { rows } = await tx.query<Claimed>(
        `SELECT id, site_key, kind, target, payload, attempts FROM deliveries
          WHERE status = 'pending' AND next_at <= now() ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length) await tx.query(`UPDATE deliveries SET next_at = now() + interval '${LEASE_SECONDS} seconds' WHERE id = ANY($1)`, [rows.map((r) => r.id)]);
      return rows;
    });
    if (!claimed.length) return;
    // Forwarded events travel in batches per destination (Segment's batch API takes up to 500 KB).
    const groups = new Map<string, Claimed[]>();
    for (const c of claimed) {
      const key = c.kind === 'forward' ? `${c.site_key}|${c.target}` : c.id;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    await Promise.all(
      [...groups.values()].map(async (rows) => {
        for (let i = 0; i < rows.length; i += 100) {
          const part = rows.slice(i, i + 100);
          await this.finish(part, await this.send(part));
        }
      }),
    );
  }

  private async send(rows: Claimed[]): Promise<SendResult> {
    const first = rows[0]!;
    if (first.kind === 'mail' || first.kind === 'graph') {
      if (!this.channelSend) return { status: 503, error: 'no channel sender on this instance' };
      const final = first.attempts + 1 >= this.o.maxAttempts;
      return this.channelSend({ id: first.id, siteKey: first.site_key, kind: first.kind, target: first.target, payload: first.payload, final }).catch((e: Error) => ({ status: 0, error: e.message }));
    }
    const integrations = integrationsOf(await this.sites.get(first.site_key));
    let headers: Record<string, string>;
    let body: string;
    let url = first.target;
    if (first.kind === 'forward') {
      const f = integrations.forward.find((x) => x.url === first.target);
      if (!f) return { status: 410, error: 'destination no longer configured' };
      url = `${f.url.replace(/\/$/, '')}/v1/batch`;
      body = JSON.stringify({ batch: rows.map((r) => r.payload), sentAt: new Date().toISOString() });
      headers = { authorization: `Basic ${Buffer.from(`${f.writeKey}:`).toString('base64')}` };
    } else {
      const secret =
        first.kind === 'webhook'
          ? integrations.webhooks.find((w) => w.url === first.target)?.secret
          : Object.values(integrations.channels).find((c) => c.replyUrl === first.target)?.secret;
      if (!secret) return { status: 410, error: 'endpoint no longer configured' };
      body = JSON.stringify(first.payload);
      headers = { 'touchpoint-signature': signWebhook(secret, body), 'touchpoint-event-id': String(first.payload.id), 'touchpoint-event-type': String(first.payload.type) };
    }
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Touchpoint', ...headers },
        body,
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      const ra = Number(res.headers.get('retry-after'));
      return { status: res.status, ...(res.ok ? {} : { error: `HTTP ${res.status}` }), ...(ra > 0 ? { retryAfterMs: ra * 1000 } : {}) };
    } catch (e) {
      return { status: 0, error: (e as Error).message };
    }
  }

  private async finish(rows: Claimed[], r: SendResult) {
    const ids = rows.map((x) => x.id);
    if (r.status >= 200 && r.status < 300) {
      await this.store.query(`UPDATE deliveries SET status = 'done', attempts = attempts + 1, delivered_at = $2, last_error = NULL WHERE id = ANY($1)`, [ids, isoNow(this.o.now)]);
      // A customer.deleted webhook names the erased customer so that receivers can erase them too:
      // once delivered, that copy of their ids is the last trace here, and goes.
      await this.store.query(`DELETE FROM deliveries WHERE id = ANY($1) AND payload ->> 'type' = 'customer.deleted'`, [ids]);
      return;
    }
    const attempts = rows[0]!.attempts + 1;
    const dead = !retryable(r.status) || attempts >= this.o.maxAttempts;
    const delay = backoff(attempts - 1, r.retryAfterMs ?? 0, this.o.baseDelayMs, 3_600_000);
    await this.store.query(
      `UPDATE deliveries SET attempts = attempts + 1, last_error = $2, status = $3, next_at = now() + ($4::float8 * interval '1 millisecond') WHERE id = ANY($1)`,
      [ids, r.error ?? `HTTP ${r.status}`, dead ? 'dead' : 'pending', delay],
    );
    if (dead) this.log.warn({ ids, error: r.error }, 'delivery dead');
  }
}
