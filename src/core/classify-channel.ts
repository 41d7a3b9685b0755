import type { Channel } from '../protocol/context.js';

// Source lists after GA4's default channel group definitions
// (https://support.google.com/analytics/answer/9756891), cut to the hosts
// that bring real traffic. Matched against the registrable part of a host.
/** A source matches a name alone (`google`) or as a label of its host (`www.google.com`, `l.facebook.com`). */
const names = (list: string) => new RegExp(`(^|\\.)(${list})(\\.|$)`);
const SEARCH = names('google|bing|yahoo|baidu|yandex|duckduckgo|ecosia|naver|seznam|qwant|startpage|sogou|so\\.com|sm\\.cn|ask|aol|brave|perplexity|msn|daum|coccoc|search');
const SOCIAL = names('facebook|fb|instagram|linkedin|lnkd|twitter|t\\.co|x|tiktok|pinterest|reddit|snapchat|threads|tumblr|vk|weibo|douban|xiaohongshu|zhihu|quora|mastodon|bsky|discord|telegram|whatsapp|wechat|messenger');
const VIDEO = names('youtube|youtu|vimeo|twitch|dailymotion|bilibili|youku|iqiyi|wistia');
const SHOPPING = names('amazon|ebay|etsy|shopify|walmart|aliexpress|alibaba|taobao|jd|rakuten|mercadolibre|emag|shopping');
const EMAIL_HOST = names('mail\\.google|outlook\\.live|mail\\.yahoo|mail\\.163|mail\\.qq|gmx|mail\\.proton|fastmail');
const PAID = /^(.*cp.*|ppc|retargeting|paid.*)$/;
const EMAIL = /e[-_ ]?mail/;
const SHOP_CAMPAIGN = /(([^a-df-z]|^)shop|shopping)/;

export interface SourceMedium {
  source: string;
  medium: string;
  campaign?: string | undefined;
}

/** GA4's default channel group for a source / medium / campaign, in GA4's order of rules. */
export const classifyChannel = ({ source, medium, campaign = '' }: SourceMedium): Channel => {
  const s = source.toLowerCase();
  const m = medium.toLowerCase();
  const c = campaign.toLowerCase();
  const paid = PAID.test(m);
  if (s === '(direct)' && (m === '(none)' || m === '(not set)')) return 'Direct';
  if (c.includes('cross-network')) return 'Cross-network';
  if ((SHOPPING.test(s) || SHOP_CAMPAIGN.test(c)) && paid) return 'Paid Shopping';
  if (SEARCH.test(s) && paid) return 'Paid Search';
  if (SOCIAL.test(s) && paid) return 'Paid Social';
  if (VIDEO.test(s) && paid) return 'Paid Video';
  if (['display', 'banner', 'expandable', 'interstitial', 'cpm'].includes(m)) return 'Display';
  if (paid) return 'Paid Other';
  if (SHOPPING.test(s) || SHOP_CAMPAIGN.test(c)) return 'Organic Shopping';
  if (SOCIAL.test(s) || ['social', 'social-network', 'social-media', 'sm', 'social network', 'social media'].includes(m)) return 'Organic Social';
  if (VIDEO.test(s) || m.includes('video')) return 'Organic Video';
  if (SEARCH.test(s) || m === 'organic') return 'Organic Search';
  if (EMAIL.test(s) || EMAIL.test(m) || EMAIL_HOST.test(s)) return 'Email';
  if (m === 'affiliate') return 'Affiliates';
  if (m === 'referral' || m === 'app' || m === 'link') return 'Referral';
  if (m === 'audio') return 'Audio';
  if (s === 'sms' || m === 'sms') return 'SMS';
  if (m.endsWith('push') || m.includes('mobile') || m.includes('notification') || s === 'firebase') return 'Mobile Push Notifications';
  return 'Unassigned';
};

export { SEARCH as SEARCH_HOSTS };
