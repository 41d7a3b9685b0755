import type { FastifyBaseLogger } from 'fastify';
import type { Transporter } from 'nodemailer';
import type { Store } from '../store/store.js';
import type { Site, Sites } from '../sites.js';
import type { Clock } from '../lib/clock.js';
import { mailTransport } from '../channels/mail-sender.js';
import { claimWaitingMail, markWaitingMailSent, releaseWaitingMail, waitingConversations, waitingMailRecipients, type WaitingConversation } from '../repositories/waiting-conversations.js';

export interface WaitingMailOptions {
  /** How often an instance looks for waiting conversations (default 30 s, real time). */
  tickMs?: number;
  /** The sender (default TOUCHPOINT_MAIL_FROM, else `Touchpoint <touchpoint@localhost>`). */
  from?: string;
  /** The console's public URL for the link in the mail (default TOUCHPOINT_PUBLIC_URL; none: no link). */
  publicUrl?: string;
}

/** Minutes a conversation may wait before agents get an e-mail, when the site says nothing. */
export const DEFAULT_WAITING_MINUTES = 5;

/**
 * The site's `notifications.waitingEmailMinutes` (1–1440; 0 turns the mail
 * off), else the default. Anything else is the default: a typo never silences it.
 */
export const waitingMinutes = (site: Site): number => {
  const v = (site.config.notifications as { waitingEmailMinutes?: unknown } | undefined)?.waitingEmailMinutes;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 1440 ? v : DEFAULT_WAITING_MINUTES;
};

/**
 * E-mails the agents when a conversation has waited unanswered for the
 * site's N minutes — its assignee alone when it has one, else its team,
 * else every agent (waitingMailRecipients) — once per waiting spell, whichever instances run this:
 * the spell is claimed by a row insert first (waiting_mail), and only the
 * instance whose insert went in sends. A failed send gives the claim back
 * for the next tick; a crash between the send and its record leaves it
 * claimed (at most once, rather than twice). "Waited N minutes" is decided on
 * the server clock (`now`), so tests pin and move it.
 */
export class WaitingMail {
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<number> | undefined;
  private transport: Transporter | undefined;
  private readonly from: string;
  private readonly publicUrl: string | undefined;

  constructor(
    private readonly store: Store,
    private readonly sites: Sites,
    private readonly now: Clock,
    private readonly log: FastifyBaseLogger,
    private readonly relay: string | Record<string, unknown>,
    private readonly o: WaitingMailOptions = {},
  ) {
    this.from = o.from ?? process.env.TOUCHPOINT_MAIL_FROM ?? 'Touchpoint <touchpoint@localhost>';
    this.publicUrl = (o.publicUrl ?? process.env.TOUCHPOINT_PUBLIC_URL)?.replace(/\/$/, '');
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.o.tickMs ?? 30_000);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    this.transport?.close();
  }

  /** One look at every site; resolves with how many mails this instance sent. Overlapping calls share one run. */
  tick(): Promise<number> {
    return (this.running ??= this.run().finally(() => (this.running = undefined)));
  }

  private async run(): Promise<number> {
    let sent = 0;
    try {
      for (const site of await this.sites.list()) {
        const minutes = waitingMinutes(site);
        if (!minutes) continue;
        const before = new Date(this.now() - minutes * 60_000).toISOString();
        for (const w of await waitingConversations(this.store, site.key, before)) if (await this.mail(site, minutes, w)) sent++;
      }
    } catch (err) {
      this.log.warn({ err }, 'waiting mail: look-up failed');
    }
    return sent;
  }

  private async mail(site: Site, minutes: number, w: WaitingConversation): Promise<boolean> {
    const at = new Date(this.now()).toISOString();
    if (!(await claimWaitingMail(this.store, w.id, w.spellSeq, at))) return false;
    try {
      const to = await waitingMailRecipients(this.store, w);
      if (!to.length) return true;
      const who = w.visitorEmail ?? `Visitor ${w.anonymousId.slice(-6)}`;
      const text = [
        `${who} has waited ${minutes} minutes on ${site.name} for an answer.`,
        ...(w.lastMessage ? ['', ...w.lastMessage.split('\n').map((l) => `> ${l}`)] : []),
        ...(this.publicUrl ? ['', `Answer: ${this.publicUrl}/console/inbox`] : []),
      ].join('\n');
      await (this.transport ??= mailTransport(this.relay)).sendMail({
        from: this.from,
        to,
        subject: `Waiting ${minutes} min: ${who} on ${site.name}`,
        text,
        // A machine's notice (RFC 3834): no one's autoresponder answers it.
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All', 'X-Touchpoint-Conversation': w.id },
      });
      await markWaitingMailSent(this.store, w.id, w.spellSeq, new Date(this.now()).toISOString(), to.length);
      return true;
    } catch (err) {
      this.log.warn({ err, conversation: w.id }, 'waiting mail: not sent, retried on the next tick');
      await releaseWaitingMail(this.store, w.id, w.spellSeq).catch(() => {});
      return false;
    }
  }
}
