import type { InboundMail } from './inbound-mail.js';

/**
 * Postmark's inbound webhook (JSON; postmarkapp.com/developer/user-guide/inbound/parse-an-email)
 * as an InboundMail. Chosen because it is JSON with the full header list and
 * both recipients and threading headers intact; Mailgun and SendGrid differ
 * mainly in field names (docs/channels.md). The mail's own Message-ID is in
 * `Headers` (Postmark's `MessageID` is its own id, used only when it is missing).
 */
type J = Record<string, unknown>;
const s = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): J[] => (Array.isArray(v) ? v.filter((x): x is J => !!x && typeof x === 'object') : []);

export function fromPostmark(b: J, raw: Buffer): InboundMail {
  const headers = new Map<string, string>();
  for (const h of list(b.Headers)) {
    const name = s(h.Name)?.toLowerCase();
    if (name && !headers.has(name)) headers.set(name, s(h.Value) ?? '');
  }
  const from = (b.FromFull && typeof b.FromFull === 'object' ? b.FromFull : {}) as J;
  const to = [...list(b.ToFull), ...list(b.CcFull)].map((x) => s(x.Email) ?? '').filter(Boolean);
  const original = s(b.OriginalRecipient);
  const date = s(b.Date) ? new Date(s(b.Date)!) : undefined;
  const pmId = s(b.MessageID);
  return {
    from: { address: s(from.Email) ?? s(b.From) ?? '', name: s(from.Name) || undefined },
    to: original ? [original, ...to] : to,
    subject: s(b.Subject),
    messageId: headers.get('message-id') || (pmId ? `<${pmId}@inbound.postmarkapp.com>` : undefined),
    inReplyTo: headers.get('in-reply-to'),
    references: headers.get('references') ? [headers.get('references')!] : [],
    text: s(b.TextBody) ?? '',
    headers,
    attachments: list(b.Attachments).map((x) => ({ filename: s(x.Name) ?? '', contentType: s(x.ContentType) ?? 'application/octet-stream', size: typeof x.ContentLength === 'number' && Number.isSafeInteger(x.ContentLength) ? x.ContentLength : 0 })),
    raw,
    date: date && !Number.isNaN(date.getTime()) ? date : undefined,
  };
}
