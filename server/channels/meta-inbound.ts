import type { Deps } from '../deps.js';
import type { Queryable } from '../store/store.js';
import { channelVisitor } from '../chat/channel-visitor.js';
import { getConversation } from '../chat/chat-store.js';
import { isoNow } from '../lib/clock.js';
import type { ChannelAccount } from './channel-accounts.js';
import { cleanText } from './clean-text.js';
import { linkVerifiedIdentity } from './link-identity.js';
import type { MetaItem } from './meta-mapping.js';

const RANK = `CASE status WHEN 'queued' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'failed' THEN 4 ELSE 0 END`;
const RANK_OF = { sent: 1, delivered: 2, read: 3, failed: 4 } as const;

const latestConversation = async (db: Queryable, siteKey: string, anonymousId: string): Promise<string | undefined> =>
  (await db.query<{ id: string }>('SELECT id FROM conversations WHERE site_key = $1 AND anonymous_id = $2 ORDER BY created_at DESC LIMIT 1', [siteKey, anonymousId])).rows[0]?.id;

/** The customer read up to `seq`: one read event, unless they had already read that far (receipts repeat). */
const readUpTo = async (deps: Deps, conversationId: string, seq: number | null | undefined) => {
  if (!seq) return;
  const c = await getConversation(deps.store, conversationId);
  if (!c) return;
  const before = (await deps.store.query<{ s: number | null }>("SELECT max((data ->> 'seq')::int) AS s FROM chat_events WHERE conversation_id = $1 AND kind = 'read' AND author_kind = 'visitor'", [c.id])).rows[0]?.s;
  if (before != null && Number(before) >= seq) return;
  await deps.chat.read(c, { kind: 'visitor' }, seq);
};

/**
 * Items of a verified Meta webhook into the conversation model. A message is
 * stored once per platform id (mid / wamid) and continues the customer's
 * latest conversation on this channel (a closed one reopens); receipts move an
 * outbound message's status forward only (sent < delivered < read; failed is
 * final) and a read becomes the customer's read event.
 */
export async function applyMetaItems(deps: Deps, a: ChannelAccount, items: MetaItem[]): Promise<{ stored: number; duplicates: number }> {
  let stored = 0;
  let duplicates = 0;
  for (const it of items) {
    if (it.type === 'message') {
      const v = channelVisitor(a.siteKey, a.kind, it.from);
      const r = await deps.chat.channelMessage(v, {
        channel: a.kind,
        accountId: a.id,
        messageId: it.id,
        body: cleanText(it.text, 20_000) || '[message]',
        authorName: it.name ? cleanText(it.name, 200) : undefined,
        data: { [a.kind]: { id: it.id, ...it.data } },
        sentAt: it.at,
        page: `${a.kind}: ${a.name || a.address}`,
        thread: (tx) => latestConversation(tx, a.siteKey, v.anonymousId),
      });
      if (r.created) stored++;
      else duplicates++;
      if (r.created && a.kind === 'whatsapp') await linkVerifiedIdentity(deps.store, a.siteKey, v.anonymousId, 'phone', it.from, isoNow(deps.now));
      continue;
    }
    const from = it.from;
    const conversationId = from ? await latestConversation(deps.store, a.siteKey, channelVisitor(a.siteKey, a.kind, from).anonymousId) : undefined;
    if (it.type === 'read') {
      if (!conversationId) continue;
      const watermark = it.watermark !== undefined ? new Date(it.watermark).toISOString() : null;
      const { rows } = await deps.store.query<{ seq: number | null }>(
        `SELECT max(seq) AS seq FROM channel_messages WHERE conversation_id = $1 AND direction = 'out'
            AND (external_id = ANY($2) OR ($3::timestamptz IS NOT NULL AND created_at <= $3::timestamptz))`,
        [conversationId, it.ids, watermark],
      );
      await deps.store.query(`UPDATE channel_messages SET status = 'read' WHERE conversation_id = $1 AND direction = 'out' AND seq <= $2 AND ${RANK} < 3`, [conversationId, rows[0]?.seq ?? 0]);
      await readUpTo(deps, conversationId, rows[0]?.seq);
      continue;
    }
    // A status: of the listed ids, or (Messenger's delivery watermark) of everything sent before it.
    const rank = RANK_OF[it.status];
    const { rows } = it.ids.length
      ? await deps.store.query<{ conversation_id: string; seq: number }>(
          `UPDATE channel_messages SET status = $4 WHERE site_key = $1 AND channel = $2 AND external_id = ANY($3) AND direction = 'out' AND ${RANK} < $5 RETURNING conversation_id, seq`,
          [a.siteKey, a.kind, it.ids, it.status, rank],
        )
      : conversationId && it.at
        ? await deps.store.query<{ conversation_id: string; seq: number }>(
            `UPDATE channel_messages SET status = $2 WHERE conversation_id = $1 AND direction = 'out' AND created_at <= $3 AND ${RANK} < $4 RETURNING conversation_id, seq`,
            [conversationId, it.status, new Date(it.at).toISOString(), rank],
          )
        : { rows: [] };
    for (const r of rows) {
      if (it.status === 'read') await readUpTo(deps, r.conversation_id, r.seq);
      if (it.status === 'failed') {
        const c = await getConversation(deps.store, r.conversation_id);
        if (c) await deps.chat.note(c, `Not delivered on ${a.kind === 'whatsapp' ? 'WhatsApp' : a.kind}: ${cleanText(it.error ?? 'the platform reported a failure', 300)}`, { deliveryFailed: true, seq: r.seq });
      }
    }
  }
  return { stored, duplicates };
}
