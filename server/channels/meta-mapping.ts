import type { ChannelKind } from './channel-accounts.js';

/** One thing a Meta webhook said, in the conversation model's terms. */
export type MetaItem =
  | { type: 'message'; from: string; id: string; text: string; name?: string; at?: number; data: Record<string, unknown> }
  | { type: 'read'; from: string; watermark?: number; ids: string[] }
  | { type: 'status'; ids: string[]; status: 'sent' | 'delivered' | 'read' | 'failed'; at?: number; error?: string; from?: string };

const OBJECT: Record<Exclude<ChannelKind, 'email'>, string> = { messenger: 'page', instagram: 'instagram', whatsapp: 'whatsapp_business_account' };

type J = Record<string, unknown>;
const obj = (v: unknown): J | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as J) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown, max = 4096): string | undefined => (typeof v === 'string' && v.length > 0 ? v.slice(0, max) : typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : undefined);
/** An id as Meta sends it (digits, `wamid.…`, `m_…`): anything else is not one. */
const id = (v: unknown): string | undefined => {
  const s = str(v, 512);
  return s && /^[\w.:=+/-]{1,512}$/.test(s) ? s : undefined;
};
/** Milliseconds; Messenger sends ms, WhatsApp seconds as a string. Out of range: unknown. */
const time = (v: unknown, unit: 'ms' | 's'): number | undefined => {
  const n = typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : typeof v === 'number' ? v : NaN;
  const ms = unit === 's' ? n * 1000 : n;
  return Number.isFinite(ms) && ms > 0 && ms < 8.64e15 ? ms : undefined;
};

const messengerMessage = (m: J, from: string, at: number | undefined): MetaItem | undefined => {
  const message = obj(m.message);
  const postback = obj(m.postback);
  if (message) {
    // Our own replies come back as echoes: they are already in the conversation.
    if (message.is_echo === true) return undefined;
    const mid = id(message.mid);
    if (!mid) return undefined;
    const attachments = arr(message.attachments)
      .map(obj)
      .filter((x): x is J => !!x)
      .map((x) => ({ type: str(x.type, 40) ?? 'file', ...(str(obj(x.payload)?.url) ? { url: str(obj(x.payload)?.url) } : {}) }));
    const quick = str(obj(message.quick_reply)?.payload, 1000);
    const text = str(message.text) ?? (attachments.length ? attachments.map((x) => `[${x.type}]`).join(' ') : '[message]');
    return { type: 'message', from, id: mid, text, ...(at ? { at } : {}), data: { ...(attachments.length ? { attachments } : {}), ...(quick ? { quickReply: quick } : {}) } };
  }
  if (postback) {
    const pid = id(postback.mid) ?? (at ? `postback.${from}.${at}` : undefined);
    if (!pid) return undefined;
    const payload = str(postback.payload, 1000);
    return { type: 'message', from, id: pid, text: str(postback.title, 1000) ?? payload ?? '[postback]', ...(at ? { at } : {}), data: { postback: { ...(payload ? { payload } : {}) } } };
  }
  const read = obj(m.read);
  if (read) return { type: 'read', from, ids: [], ...(time(read.watermark, 'ms') ? { watermark: time(read.watermark, 'ms') } : {}) };
  const seen = obj(m.messaging_seen);
  if (seen) return { type: 'read', from, ids: id(seen.mid) ? [id(seen.mid)!] : [], ...(time(seen.watermark, 'ms') ? { watermark: time(seen.watermark, 'ms') } : {}) };
  const delivery = obj(m.delivery);
  if (delivery) return { type: 'status', ids: arr(delivery.mids).map(id).filter((x): x is string => !!x), status: 'delivered', from, ...(time(delivery.watermark, 'ms') ? { at: time(delivery.watermark, 'ms') } : {}) };
  return undefined;
};

const whatsappText = (m: J, type: string): { text: string; data: Record<string, unknown> } => {
  const part = obj(m[type]);
  switch (type) {
    case 'text':
      return { text: str(part?.body) ?? '', data: {} };
    case 'button':
      return { text: str(part?.text, 1000) ?? '[button]', data: { button: { ...(str(part?.payload) ? { payload: str(part?.payload) } : {}) } } };
    case 'interactive': {
      const reply = obj(part?.button_reply) ?? obj(part?.list_reply);
      return { text: str(reply?.title, 1000) ?? '[interactive]', data: { interactive: { ...(id(reply?.id) ? { id: id(reply?.id) } : {}) } } };
    }
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker': {
      // The media id: fetch it (GET /{media-id}) within 7 days; the caption is the customer's text.
      const media = { type, ...(id(part?.id) ? { id: id(part?.id) } : {}), ...(str(part?.mime_type, 100) ? { mimeType: str(part?.mime_type, 100) } : {}), ...(str(part?.filename, 200) ? { filename: str(part?.filename, 200) } : {}) };
      return { text: str(part?.caption) ?? `[${type}]`, data: { media } };
    }
    case 'location':
      return { text: `[location ${str(part?.latitude) ?? '?'}, ${str(part?.longitude) ?? '?'}]`, data: {} };
    default:
      return { text: `[${type.slice(0, 40)} message]`, data: {} };
  }
};

/**
 * A Messenger, Instagram or WhatsApp Cloud API webhook body → items, for the
 * account it was sent to (entries of another Page or number are skipped).
 * Every `entry`, `messaging`, `changes`, `messages` and `statuses` is an array
 * and all of it is read — not only the first (Chatwoot's old bug). Anything
 * of an unexpected shape is skipped, never thrown on: the body is signed by
 * Meta, so what does not parse is a format we do not know yet.
 */
export function mapMetaWebhook(body: unknown, kind: Exclude<ChannelKind, 'email'>, address: string): { items: MetaItem[]; skipped: number } {
  const b = obj(body);
  const items: MetaItem[] = [];
  let skipped = 0;
  if (!b || b.object !== OBJECT[kind]) return { items, skipped: 1 };
  for (const e of arr(b.entry).map(obj)) {
    if (!e) continue;
    if (kind !== 'whatsapp') {
      if (str(e.id) !== address) {
        skipped++;
        continue;
      }
      for (const m of arr(e.messaging).map(obj)) {
        const from = id(obj(m?.sender)?.id);
        const item = m && from ? messengerMessage(m, from, time(m.timestamp, 'ms')) : undefined;
        if (item) items.push(item);
        else skipped++;
      }
      continue;
    }
    for (const ch of arr(e.changes).map(obj)) {
      const value = obj(ch?.value);
      if (!ch || ch.field !== 'messages' || !value) continue;
      if (str(obj(value.metadata)?.phone_number_id) !== address) {
        skipped++;
        continue;
      }
      const names = new Map(arr(value.contacts).map(obj).map((c) => [id(c?.wa_id) ?? id(c?.user_id) ?? '', str(obj(c?.profile)?.name, 200)] as const));
      for (const m of arr(value.messages).map(obj)) {
        const from = id(m?.from) ?? id(m?.from_user_id);
        const mid = id(m?.id);
        const type = str(m?.type, 40);
        if (!m || !from || !mid || !type || type === 'reaction' || type === 'system') {
          skipped++;
          continue;
        }
        const { text, data } = whatsappText(m, type);
        const replyTo = id(obj(m.context)?.id);
        const name = names.get(from);
        const at = time(m.timestamp, 's');
        items.push({ type: 'message', from, id: mid, text: text || `[${type}]`, ...(name ? { name } : {}), ...(at ? { at } : {}), data: { ...data, ...(replyTo ? { replyTo } : {}) } });
      }
      for (const s of arr(value.statuses).map(obj)) {
        const sid = id(s?.id);
        const status = s?.status;
        if (!s || !sid || (status !== 'sent' && status !== 'delivered' && status !== 'read' && status !== 'failed')) {
          skipped++;
          continue;
        }
        const err = obj(arr(s.errors)[0]);
        const at = time(s.timestamp, 's');
        const to = id(s.recipient_id);
        items.push({ type: 'status', ids: [sid], status, ...(at ? { at } : {}), ...(to ? { from: to } : {}), ...(err ? { error: `${str(err.code) ?? ''} ${str(err.title, 300) ?? str(err.message, 300) ?? ''}`.trim() } : {}) });
      }
    }
  }
  return { items, skipped };
}
