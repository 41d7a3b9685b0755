import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../store/store.js';
import type { Clock } from '../lib/clock.js';
import { applyRetention, retentionOf } from './retention.js';
import type { AttachmentFiles } from '../attachments/attachment-files.js';
import { referencedHashes } from '../repositories/chat-attachments.js';

export interface RetentionOptions {
  /** How often every site's retention is applied (default: hourly; the first run a minute after start). */
  intervalMs?: number;
  firstRunMs?: number;
}

/**
 * Applies each site's retention on a schedule, on every instance: the deletes
 * are idempotent and batched, so two instances at once only share the work.
 */
export class RetentionWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly now: Clock,
    private readonly log: FastifyBaseLogger,
    private readonly o: RetentionOptions = {},
    /** Attachments' bytes: after the rows go, the files no row needs go too (and orphans of failed uploads). */
    private readonly files?: AttachmentFiles,
  ) {}

  start(): void {
    const every = this.o.intervalMs ?? 3_600_000;
    const tick = () => {
      this.running = this.runOnce()
        .catch((err) => this.log.error({ err }, 'retention run failed'))
        .finally(() => {
          this.running = undefined;
          this.timer = setTimeout(tick, every);
          this.timer.unref();
        });
    };
    this.timer = setTimeout(tick, this.o.firstRunMs ?? 60_000);
    this.timer.unref();
  }

  /** One pass over every site. */
  async runOnce(): Promise<void> {
    const { rows } = await this.store.query<{ key: string; config: Record<string, unknown> }>('SELECT key, config FROM sites');
    for (const site of rows) {
      const deleted = await applyRetention(this.store, site.key, retentionOf(site.config ?? {}), this.now());
      if (Object.values(deleted).some((n) => n)) this.log.info({ site: site.key, deleted }, 'retention applied');
    }
    const files = await this.files?.sweep((shas) => referencedHashes(this.store, shas));
    if (files) this.log.info({ files }, 'attachment files removed');
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await this.running;
  }
}
