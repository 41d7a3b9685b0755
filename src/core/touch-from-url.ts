import type { Touch } from '../protocol/context.js';
import { classifyChannel, SEARCH_HOSTS } from './classify-channel.js';

/** Ad click ids → the source and medium they imply. fbclid is left out: Facebook adds it to organic links too. */
const CLICK_IDS: Record<string, [source: string, medium: string]> = {
  gclid: ['google', 'cpc'],
  gbraid: ['google', 'cpc'],
  wbraid: ['google', 'cpc'],
  dclid: ['google', 'display'],
  msclkid: ['bing', 'cpc'],
  ttclid: ['tiktok', 'cpc'],
  li_fat_id: ['linkedin', 'cpc'],
  twclid: ['twitter', 'cpc'],
  epik: ['pinterest', 'cpc'],
  rdt_cid: ['reddit', 'cpc'],
  sccid: ['snapchat', 'cpc'],
  fbclid: ['facebook', 'referral'],
};

const host = (url: string): string => {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
};

/**
 * How a page load arrived: UTM parameters first, then ad click ids, then the
 * referrer. Returns `undefined` for an internal navigation (same-site
 * referrer), which is no new touch at all.
 */
export const touchFromUrl = (url: string, referrer: string, timestamp: string): Touch | undefined => {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const q = (k: string) => u.searchParams.get(k) ?? undefined;
  const refHost = host(referrer);
  const pageHost = u.hostname.replace(/^www\./, '');
  let source = q('utm_source');
  let medium = q('utm_medium');
  let clickIdType: string | undefined;
  for (const k in CLICK_IDS) {
    if (u.searchParams.has(k)) {
      clickIdType = k;
      source ??= CLICK_IDS[k]![0];
      medium ??= CLICK_IDS[k]![1];
      break;
    }
  }
  if (!source && !medium) {
    if (!refHost) [source, medium] = ['(direct)', '(none)'];
    else if (refHost === pageHost || refHost.endsWith(`.${pageHost}`) || pageHost.endsWith(`.${refHost}`)) return undefined;
    else [source, medium] = [refHost, SEARCH_HOSTS.test(refHost) ? 'organic' : 'referral'];
  }
  source ??= refHost || '(not set)';
  medium ??= '(not set)';
  const campaign = q('utm_campaign');
  const t: Touch = { channel: classifyChannel({ source, medium, campaign }), source, medium, timestamp, landingPage: url };
  if (campaign) t.campaign = campaign;
  if (q('utm_term')) t.term = q('utm_term');
  if (q('utm_content')) t.content = q('utm_content');
  if (clickIdType) [t.clickIdType, t.clickId] = [clickIdType, q(clickIdType)];
  if (referrer) t.referrer = referrer;
  return t;
};
