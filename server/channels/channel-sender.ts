import type { Transporter } from 'nodemailer';
import type { Store } from '../store/store.js';
import type { ChatService } from '../chat/chat-service.js';
import type { ChannelSend } from '../integrations/delivery-worker.js';
import { getConversation } from '../chat/chat-store.js';
import { accountById } from './channel-accounts.js';
import type { ChannelOptions } from './channel-options.js';
import type { AttachmentFiles } from '../attachments/attachment-files.js';
import type { GraphReply, MailReply } from './channel-outbound.js';
import { mailTransport, sendMail, type MailFile } from './mail-sender.js';
import { DEFAULT_GRAPH_URL, sendGraph } from './graph-sender.js';

const retryable = (s: number) => s === 0 || s === 408 || s === 429 || s >= 500;

/**
 * The delivery worker's sender for `mail` and `graph` deliveries: the account
 * (relay, token) is read now, so a rotated token applies to queued replies.
 * Sent: its channel_messages row says so (and takes the platform's id, for
 * receipts). Failed for good: the conversation gets a system line with the
 * platform's reason — a reply never looks sent when it was not.
 */
export function channelSender(store: Store, chat: () => ChatService, o: ChannelOptions, files: Pick<AttachmentFiles, 'read'>): ChannelSend & { close(): void } {
  let transport: Transporter | undefined;
  const send: ChannelSend = async (d) => {
    const account = await accountById(store, d.target);
    if (!account) return { status: 410, error: 'channel account removed' };
    let r;
    if (d.kind === 'mail') {
      const m = d.payload as unknown as MailReply;
      // No relay: fail before reading a byte of the files (the attempt is retried with them read again).
      if (!o.relay) r = { status: 503, error: 'no SMTP relay configured (TOUCHPOINT_SMTP_RELAY)' };
      else {
        const attached = await Promise.all((m.files ?? []).map(async (f) => ({ ...f, content: await files.read(f.sha256) })));
        // Erased (or removed by retention) while the reply waited: a mail without its file would say what it does not carry.
        if (attached.some((f) => !f.content)) r = { status: 410, error: 'the attached file was deleted before the mail left' };
        else r = await sendMail((transport ??= mailTransport(o.relay)), account, m, attached as MailFile[]);
      }
      if (r.status === 200) await store.query("UPDATE channel_messages SET status = 'sent' WHERE site_key = $1 AND channel = 'email' AND external_id = $2", [d.siteKey, m.messageId]);
    } else {
      const g = d.payload as unknown as GraphReply;
      r = await sendGraph(o.graphUrl ?? DEFAULT_GRAPH_URL, account, g);
      if (r.status === 200) {
        await store.query(`UPDATE channel_messages SET external_id = coalesce($4, external_id), status = 'sent' WHERE site_key = $1 AND channel = $2 AND external_id = $3`, [d.siteKey, account.kind, g.localId, r.platformId ?? null]);
      }
    }
    if (r.status !== 200 && (d.final || !retryable(r.status))) {
      const p = d.payload as { conversationId?: string; seq?: number };
      const c = p.conversationId ? await getConversation(store, p.conversationId) : undefined;
      if (c) await chat().note(c, `Not delivered: ${r.error ?? `HTTP ${r.status}`}`, { deliveryFailed: true, seq: p.seq, error: r.error ?? null });
    }
    return r;
  };
  return Object.assign(send, { close: () => transport?.close() });
}
