import type { SendResult } from '../integrations/delivery-worker.js';
import type { ChannelAccount } from './channel-accounts.js';
import type { GraphReply } from './channel-outbound.js';

export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_VERSION = 'v21.0';
/** Messenger and Instagram take 2,000 characters per text message; WhatsApp 4,096. */
const MAX_TEXT = { messenger: 2000, instagram: 2000, whatsapp: 4096 } as const;

const split = (text: string, max: number): string[] => {
  const parts: string[] = [];
  for (let rest = text; rest.length; ) {
    let cut = rest.length <= max ? rest.length : rest.lastIndexOf(' ', max);
    if (cut <= max / 2) cut = max;
    parts.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trimStart();
  }
  return parts.filter(Boolean);
};

/** The send endpoint's JSON body: Messenger / Instagram's Send API or the WhatsApp Cloud API. */
export const graphBodies = (a: ChannelAccount, r: GraphReply): unknown[] => {
  if (a.kind === 'whatsapp') {
    const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: r.to };
    if (r.template) return [{ ...base, type: 'template', template: { name: r.template.name, language: { code: r.template.language } } }];
    return split(r.text, MAX_TEXT.whatsapp).map((body) => ({ ...base, type: 'text', text: { preview_url: false, body } }));
  }
  return split(r.text, MAX_TEXT[a.kind as 'messenger' | 'instagram']).map((text) => ({
    recipient: { id: r.to },
    messaging_type: r.messagingType ?? 'RESPONSE',
    ...(r.tag ? { tag: r.tag } : {}),
    message: { text },
  }));
};

/**
 * Sends through `POST {base}/{version}/{Page id | IG account id | phone number id}/messages`
 * with the account's token as a bearer. Returns the platform's id of the
 * (last) message sent — `message_id` or `messages[0].id` — for receipts.
 */
export async function sendGraph(baseUrl: string, a: ChannelAccount, r: GraphReply, timeoutMs = 10_000): Promise<SendResult & { platformId?: string }> {
  if (!a.secrets.accessToken) return { status: 422, error: 'the account has no access token' };
  const url = `${baseUrl.replace(/\/$/, '')}/${a.settings.graphVersion || DEFAULT_GRAPH_VERSION}/${encodeURIComponent(a.address)}/messages`;
  let platformId: string | undefined;
  for (const body of graphBodies(a, r)) {
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${a.secrets.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      return { status: 0, error: (e as Error).message };
    }
    const json = (await res.json().catch(() => ({}))) as { message_id?: string; messages?: { id?: string }[]; error?: { message?: string; code?: number; error_subcode?: number } };
    if (!res.ok) {
      const g = json.error;
      const ra = Number(res.headers.get('retry-after'));
      return { status: res.status, error: g ? `Graph ${g.code ?? ''}${g.error_subcode ? `/${g.error_subcode}` : ''}: ${g.message ?? ''}`.slice(0, 500) : `HTTP ${res.status}`, ...(ra > 0 ? { retryAfterMs: ra * 1000 } : {}) };
    }
    platformId = json.message_id ?? json.messages?.[0]?.id ?? platformId;
  }
  return { status: 200, ...(platformId ? { platformId } : {}) };
}
