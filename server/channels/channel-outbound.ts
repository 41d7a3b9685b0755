import type { ChatEvent } from 'touchpoint/protocol';
import type { Queryable } from '../store/store.js';
import { appendEvent, type ConversationRow } from '../chat/chat-store.js';
import { externalIdOf } from '../chat/channel-visitor.js';
import { enqueueDelivery } from '../integrations/enqueue.js';
import { attachmentsOf } from '../repositories/chat-attachments.js';
import { isoUtc } from '../store/iso-utc.js';
import { accountById, isChannelKind, type ChannelAccount } from './channel-accounts.js';
import { replyHeaders, replyMessageId, replySubject } from './mail-threading.js';

const HOUR = 3_600_000;
/** WhatsApp: free-form messages within 24 h of the customer's last message; after that, approved templates only. */
export const WHATSAPP_WINDOW_MS = 24 * HOUR;
/** Messenger / Instagram: standard messages within 24 h; a human agent's reply, tagged HUMAN_AGENT, within 7 days. */
export const MESSENGER_WINDOW_MS = 24 * HOUR;
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR;

/** An e-mail reply as the delivery worker sends it (server/channels/mail-sender.ts). */
export interface MailReply {
  accountId: string;
  conversationId: string;
  seq: number;
  to: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo?: string;
  references: string[];
  /** The files an agent sent (chat_attachments), read from the file store when the mail leaves: the payload stays small. */
  files?: { sha256: string; filename: string; contentType: string }[];
}

/** A Graph API send as the delivery worker makes it (server/channels/graph-sender.ts). */
export interface GraphReply {
  accountId: string;
  conversationId: string;
  seq: number;
  /** Our id for it until the platform gives its own (channel_messages.external_id). */
  localId: string;
  to: string;
  text: string;
  /** Messenger / Instagram: RESPONSE within 24 h, MESSAGE_TAG + HUMAN_AGENT within 7 days. */
  messagingType?: 'RESPONSE' | 'MESSAGE_TAG';
  tag?: 'HUMAN_AGENT';
  /** WhatsApp outside its window: the account's approved template instead of the text. */
  template?: { name: string; language: string };
}

type Plan = { kind: 'mail'; payload: MailReply; externalId: string; meta: Record<string, unknown> } | { kind: 'graph'; payload: GraphReply; externalId: string; meta: Record<string, unknown> } | { cannot: string; reason: string };

interface Last {
  external_id: string;
  account_id: string;
  meta: { references?: string[]; subject?: string } | null;
}

/** The conversation's latest message of a channel account, ours or the customer's: what a reply threads to and the account it leaves from. */
const lastChannelMessage = async (db: Queryable, conversationId: string): Promise<Last | undefined> =>
  (
    await db.query<Last>(
      `SELECT external_id, account_id, meta FROM channel_messages
        WHERE conversation_id = $1 AND account_id IS NOT NULL ORDER BY seq DESC NULLS LAST, created_at DESC LIMIT 1`,
      [conversationId],
    )
  ).rows[0];

/**
 * Whether an agent's file in this conversation can reach the customer: web
 * chat, or a conversation of an e-mail account (the reply mail carries it).
 * Meta's channels take files only by public URL, and a generic bridge's
 * reply (`conversation.reply`) carries text only.
 */
export async function takesAgentFiles(db: Queryable, c: ConversationRow): Promise<boolean> {
  if (c.channel === 'web') return true;
  if (c.channel !== 'email') return false;
  const last = await lastChannelMessage(db, c.id);
  return !!last && (await accountById(db, last.account_id))?.kind === 'email';
}

/** How long since the customer last wrote (by the platform's time, never later than when we received it); machines' messages do not count. */
const sinceCustomer = async (tx: Queryable, conversationId: string, at: string): Promise<number> => {
  const r = (
    await tx.query<{ t: string | null }>(
      `SELECT ${isoUtc('max(least(coalesce(sent_at, created_at), created_at))')} AS t FROM channel_messages
        WHERE conversation_id = $1 AND direction = 'in' AND coalesce(meta ->> 'auto', '') = ''`,
      [conversationId],
    )
  ).rows[0];
  return r?.t ? Date.parse(at) - Date.parse(r.t) : Infinity;
};

const plan = async (tx: Queryable, a: ChannelAccount, c: ConversationRow, last: Last, e: ChatEvent, at: string): Promise<Plan> => {
  const base = { accountId: a.id, conversationId: c.id, seq: e.seq, to: externalIdOf(c) };
  const text = e.body ?? '';
  if (a.kind === 'email') {
    const files = (await attachmentsOf(tx, c.id, e.seq)).map(({ sha256, filename, contentType }) => ({ sha256, filename, contentType }));
    const parent = replyHeaders({ messageId: last.external_id, references: last.meta?.references ?? [] });
    const messageId = replyMessageId(a.address, c.id, e.seq);
    const subject = replySubject(last.meta?.subject);
    return { kind: 'mail', externalId: messageId, meta: { references: parent.references, subject }, payload: { ...base, subject, text, messageId, inReplyTo: parent.inReplyTo, references: parent.references, ...(files.length ? { files } : {}) } };
  }
  // Meta's send API takes a file only by a public URL of it, which a private deployment may not have (routes/chat-attachments.ts refuses the upload).
  if (!e.body) return { reason: 'files_not_supported', cannot: 'Not sent: files reach web chat and e-mail only.' };
  const age = await sinceCustomer(tx, c.id, at);
  const localId = `tp:${c.id}:${e.seq}`;
  if (a.kind === 'whatsapp') {
    if (age <= WHATSAPP_WINDOW_MS) return { kind: 'graph', externalId: localId, meta: {}, payload: { ...base, localId, text } };
    if (a.settings.template?.name) return { kind: 'graph', externalId: localId, meta: { template: a.settings.template.name }, payload: { ...base, localId, text, template: a.settings.template } };
    return {
      reason: 'whatsapp_window',
      cannot: 'Not sent: the customer last wrote on WhatsApp more than 24 hours ago, and WhatsApp allows only an approved template then. Set one for this number in Channels, or wait for the customer to write.',
    };
  }
  if (age <= MESSENGER_WINDOW_MS) return { kind: 'graph', externalId: localId, meta: {}, payload: { ...base, localId, text, messagingType: 'RESPONSE' } };
  if (age <= HUMAN_AGENT_WINDOW_MS) return { kind: 'graph', externalId: localId, meta: { tag: 'HUMAN_AGENT' }, payload: { ...base, localId, text, messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } };
  return { reason: 'messaging_window', cannot: `Not sent: the customer last wrote more than 7 days ago, and ${a.kind === 'instagram' ? 'Instagram' : 'Messenger'} accepts no reply after that.` };
};

/**
 * In the transaction of an agent's message in a channel account's
 * conversation: one delivery per reply (nothing is sent that was not stored),
 * with its outbound row in channel_messages (its Message-ID threads the
 * customer's answer; its mid/wamid later takes delivery and read receipts).
 * A reply the platform would refuse (outside WhatsApp's or Messenger's
 * window) is not queued: the inbox gets a system line saying so, at once.
 * Returns the events it added.
 */
export async function channelReplies(tx: Queryable, c: ConversationRow, events: ChatEvent[], at: string): Promise<ChatEvent[]> {
  const replies = events.filter((e) => e.kind === 'message' && e.author.kind === 'agent' && (e.body || e.data?.attachments));
  if (!replies.length || !isChannelKind(c.channel)) return [];
  const last = await lastChannelMessage(tx, c.id);
  // A conversation of the generic bridge (routes/channels.ts) has no account: its replies go to the bridge's replyUrl.
  if (!last) return [];
  const added: ChatEvent[] = [];
  const account = await accountById(tx, last.account_id);
  for (const e of replies) {
    // A replayed agent message (same clientId) was planned the first time.
    const done = await tx.query('SELECT 1 FROM channel_messages WHERE conversation_id = $1 AND seq = $2 AND direction = $3', [c.id, e.seq, 'out']);
    if (done.rows.length) continue;
    const p: Plan = account ? await plan(tx, account, c, last, e, at) : { reason: 'account_removed', cannot: 'Not sent: this conversation\'s channel account was removed.' };
    if ('cannot' in p) {
      added.push((await appendEvent(tx, c.id, { kind: 'message', author: { kind: 'system' }, body: p.cannot, data: { cannotReply: true, reason: p.reason, seq: e.seq }, at })).event);
      continue;
    }
    await tx.query(
      `INSERT INTO channel_messages (site_key, channel, external_id, direction, account_id, conversation_id, seq, status, meta, created_at)
       VALUES ($1, $2, $3, 'out', $4, $5, $6, 'queued', $7, $8) ON CONFLICT DO NOTHING`,
      [c.site_key, c.channel, p.externalId, account!.id, c.id, e.seq, JSON.stringify(p.meta), at],
    );
    await enqueueDelivery(tx, c.site_key, p.kind, account!.id, p.payload);
    last.external_id = p.externalId;
    if (p.kind === 'mail') last.meta = p.meta as Last['meta'];
  }
  return added;
}
