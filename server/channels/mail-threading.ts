import { createHash } from 'node:crypto';

/** Message ids in a header (`<a@b> <c@d>`), with their angle brackets, as RFC 5322 writes them. */
export const messageIds = (header: string | string[] | undefined): string[] => {
  const text = Array.isArray(header) ? header.join(' ') : (header ?? '');
  return [...text.matchAll(/<[^<>\s]{1,900}>/g)].map((m) => m[0]);
};

/** Keeps `<…>` around an id (mailparser hands some without, Postmark's MessageID never has them). */
export const bracket = (id: string): string => (id.startsWith('<') ? id : `<${id}>`);

/**
 * Where an incoming mail may belong, most telling first: the message it
 * answers (In-Reply-To), then its References newest first — a client that
 * drops In-Reply-To (some Outlooks) still carries the thread there. At most 50.
 */
export const threadCandidates = (inReplyTo: string | string[] | undefined, references: string | string[] | undefined): string[] =>
  [...new Set([...messageIds(inReplyTo), ...messageIds(references).reverse()])].slice(0, 50);

/**
 * A reply's threading headers (RFC 5322 §3.6.4): In-Reply-To is the parent's
 * Message-ID; References the parent's References plus the parent. Long chains
 * keep the first id (the thread's root) and the newest 19.
 */
export const replyHeaders = (parent: { messageId: string; references: string[] }): { inReplyTo: string; references: string[] } => {
  const chain = [...parent.references.filter((r) => r !== parent.messageId), parent.messageId];
  return { inReplyTo: parent.messageId, references: chain.length > 20 ? [chain[0]!, ...chain.slice(-19)] : chain };
};

/** Our Message-ID for an agent's reply: unique per (conversation, seq), under the support address's domain. */
export const replyMessageId = (address: string, conversationId: string, seq: number): string =>
  `<tp.${conversationId}.${seq}@${address.split('@')[1] || 'touchpoint.invalid'}>`;

/** A mail with no Message-ID still needs a stable id (a resent copy must dedupe): one from its bytes. */
export const contentMessageId = (raw: Buffer | string): string => `<sha256.${createHash('sha256').update(raw).digest('hex').slice(0, 40)}@touchpoint.invalid>`;

/** "Re: " once, before the subject without its own Re:/Fwd:/AW: prefixes. */
export const replySubject = (subject: string | undefined): string => {
  const s = (subject ?? '').replace(/^\s*((re|fwd?|aw|sv|antw)\s*(\[\d+\])?\s*:\s*)+/i, '').trim();
  return s ? `Re: ${s}` : 'Re: your message';
};

type Headers = { get(name: string): unknown } | Map<string, unknown>;
const header = (h: Headers, name: string): string => {
  const v = h.get(name);
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v.toLowerCase().trim();
  if (typeof v === 'object' && 'value' in (v as object)) return String((v as { value: unknown }).value).toLowerCase().trim();
  return String(v).toLowerCase().trim();
};

/**
 * Why a mail must not be answered, or undefined for a person's mail. RFC 3834
 * Auto-Submitted (anything but `no`), Precedence bulk/list/junk, the common
 * vendor flags (X-Autoreply, X-Autorespond, X-Auto-Response-Suppress), loop
 * markers (X-Loop), mailing lists (List-Id, List-Unsubscribe) and bounces
 * (X-Failed-Recipients, multipart/report). Stored all the same — never
 * answered, and never reopening a closed conversation.
 */
export const autoReplyReason = (h: Headers): string | undefined => {
  const auto = header(h, 'auto-submitted');
  if (auto && auto !== 'no') return `Auto-Submitted: ${auto}`;
  const precedence = header(h, 'precedence');
  if (['bulk', 'list', 'junk', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  for (const name of ['x-autoreply', 'x-autorespond', 'x-auto-response-suppress', 'x-loop', 'x-failed-recipients', 'list-id', 'list-unsubscribe']) {
    const v = header(h, name);
    if (v && v !== 'no' && v !== 'none') return `${name}: ${v}`;
  }
  if (header(h, 'content-type').startsWith('multipart/report')) return 'a delivery report';
  return undefined;
};
