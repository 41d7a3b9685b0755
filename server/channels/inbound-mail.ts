import type { Deps } from '../deps.js';
import type { Queryable } from '../store/store.js';
import { channelVisitor } from '../chat/channel-visitor.js';
import { isoNow } from '../lib/clock.js';
import { accountByAddress, type ChannelAccount } from './channel-accounts.js';
import { cleanText } from './clean-text.js';
import { autoReplyReason, bracket, contentMessageId, messageIds, threadCandidates } from './mail-threading.js';
import { stripQuotedReply } from './strip-quoted-reply.js';
import { linkVerifiedIdentity } from './link-identity.js';

/** A received mail, whichever way it came (SMTP + mailparser, or an inbound-parse webhook). */
export interface InboundMail {
  from: { address: string; name?: string | undefined };
  /** Every recipient address (envelope RCPT TO, else To and Cc). */
  to: string[];
  subject?: string | undefined;
  messageId?: string | undefined;
  inReplyTo?: string | undefined;
  references: string[];
  text: string;
  /** Header lookup by lower-case name. */
  headers: { get(name: string): unknown };
  attachments: { filename: string; contentType: string; size: number }[];
  /** The original bytes: the RFC 822 message, or the webhook's JSON. */
  raw: Buffer;
  date?: Date | undefined;
}

/** The transcript shows this much of a mail; the original stays whole beside it. */
const BODY_CHARS = 20_000;
const ORIGINAL_CHARS = 200_000;

export type MailOutcome = { stored: true; conversationId: string; created: boolean; threadedBy: string } | { stored: false; reason: string };

/**
 * Mail → the inbox: the account it was sent to, loops dropped (mail from one
 * of our own support addresses), the thread it belongs to — In-Reply-To, then
 * References newest first, each only within the same sender's conversations,
 * so a leaked Message-ID cannot put words in another customer's thread — else
 * a new conversation. The transcript gets the reply without quotes and
 * signature; the full text, attachments' names and the raw message are kept.
 */
export async function receiveMail(deps: Deps, mail: InboundMail, account?: ChannelAccount): Promise<MailOutcome> {
  let a = account;
  for (const to of mail.to) {
    if (a) break;
    a = await accountByAddress(deps.store, 'email', to);
  }
  if (!a) return { stored: false, reason: 'no support address among the recipients' };
  const from = cleanText(mail.from.address).trim().toLowerCase();
  if (!/^[^\s@]{1,200}@[^\s@]{1,255}$/.test(from)) return { stored: false, reason: 'no sender address' };
  if (await accountByAddress(deps.store, 'email', from)) return { stored: false, reason: 'sent by one of our own support addresses (a loop)' };
  const messageId = mail.messageId ? cleanText(bracket(mail.messageId.trim()), 998) : contentMessageId(mail.raw);
  const auto = autoReplyReason(mail.headers);
  const text = cleanText(mail.text ?? '', ORIGINAL_CHARS);
  const { reply, quoted } = stripQuotedReply(text);
  const names = mail.attachments.map((x) => cleanText(x.filename || 'attachment', 200));
  const body = cleanText(reply, BODY_CHARS) || (names.length ? `(attachments: ${names.join(', ')})` : '(no text)');
  const subject = mail.subject ? cleanText(mail.subject, 500) : undefined;
  const email: Record<string, unknown> = {
    messageId,
    ...(subject ? { subject } : {}),
    to: a.address,
    ...(quoted ? { original: text } : {}),
    ...(auto ? { auto } : {}),
    ...(mail.attachments.length ? { attachments: mail.attachments.map((x, i) => ({ filename: names[i], contentType: cleanText(x.contentType, 200), size: x.size })) } : {}),
  };
  const candidates = threadCandidates(mail.inReplyTo, mail.references.join(' ')).map((id) => cleanText(id));
  const ownRefs = messageIds(mail.references.join(' '));
  const v = channelVisitor(a.siteKey, 'email', from);
  const thread = async (tx: Queryable) => {
    email.threadedBy = 'new conversation';
    if (!candidates.length) return undefined;
    const { rows } = await tx.query<{ external_id: string; conversation_id: string }>(
      `SELECT m.external_id, m.conversation_id FROM channel_messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.site_key = $1 AND m.channel = 'email' AND m.external_id = ANY($2) AND c.anonymous_id = $3`,
      [a.siteKey, candidates, v.anonymousId],
    );
    const hit = candidates.map((id) => rows.find((r) => r.external_id === id)).find(Boolean);
    if (!hit) return undefined;
    email.threadedBy = hit.external_id === candidates[0] && mail.inReplyTo ? `In-Reply-To ${hit.external_id}` : `References ${hit.external_id}`;
    return hit.conversation_id;
  };
  const r = await deps.chat.channelMessage(v, {
    channel: 'email',
    accountId: a.id,
    messageId,
    body,
    authorName: mail.from.name ? cleanText(mail.from.name, 200) : undefined,
    data: { email },
    // Its own chain (oldest first), for our reply's References; a client that sent only In-Reply-To gave that much.
    meta: { references: (ownRefs.length ? ownRefs : messageIds(mail.inReplyTo)).map((id) => cleanText(id)).slice(-50), ...(subject ? { subject } : {}), ...(auto ? { auto } : {}) },
    raw: mail.raw,
    page: `email: ${subject ?? '(no subject)'}`,
    email: from,
    auto: !!auto,
    sentAt: mail.date?.getTime(),
    thread,
  });
  if (r.created) await linkVerifiedIdentity(deps.store, a.siteKey, v.anonymousId, 'email', from, isoNow(deps.now));
  return { stored: true, conversationId: r.conversation.id, created: r.created, threadedBy: String(email.threadedBy ?? 'a copy already stored') };
}
