import { describe, expect, it } from 'vitest';
import { touchFromUrl } from '../../src/core/touch-from-url.js';
import { classifyChannel } from '../../src/core/classify-channel.js';

const T = '2026-11-22T10:00:00.000Z';
const on = (url: string, referrer = '') => touchFromUrl(url, referrer, T);

describe('touchFromUrl() classifies real landings into GA4 channels', () => {
  it.each([
    ['https://shop.example/', '', 'Direct', '(direct)', '(none)'],
    ['https://shop.example/', 'https://www.google.com/', 'Organic Search', 'google.com', 'organic'],
    ['https://shop.example/', 'https://www.bing.com/search?q=x', 'Organic Search', 'bing.com', 'organic'],
    ['https://shop.example/', 'https://duckduckgo.com/', 'Organic Search', 'duckduckgo.com', 'organic'],
    ['https://shop.example/', 'https://www.baidu.com/link?url=x', 'Organic Search', 'baidu.com', 'organic'],
    ['https://shop.example/?gclid=abc', 'https://www.google.com/', 'Paid Search', 'google', 'cpc'],
    ['https://shop.example/?msclkid=abc', '', 'Paid Search', 'bing', 'cpc'],
    ['https://shop.example/', 'https://l.facebook.com/l.php?u=x', 'Organic Social', 'l.facebook.com', 'referral'],
    ['https://shop.example/', 'https://t.co/abc', 'Organic Social', 't.co', 'referral'],
    ['https://shop.example/', 'https://www.linkedin.com/feed/', 'Organic Social', 'linkedin.com', 'referral'],
    ['https://shop.example/?fbclid=xyz', 'https://m.facebook.com/', 'Organic Social', 'facebook', 'referral'],
    ['https://shop.example/?utm_source=facebook&utm_medium=paid_social', '', 'Paid Social', 'facebook', 'paid_social'],
    ['https://shop.example/?ttclid=1', '', 'Paid Social', 'tiktok', 'cpc'],
    ['https://shop.example/', 'https://www.youtube.com/watch?v=1', 'Organic Video', 'youtube.com', 'referral'],
    ['https://shop.example/?utm_source=newsletter&utm_medium=email', '', 'Email', 'newsletter', 'email'],
    ['https://shop.example/?utm_source=mailchimp&utm_medium=e-mail', '', 'Email', 'mailchimp', 'e-mail'],
    ['https://shop.example/?utm_source=partner&utm_medium=affiliate', '', 'Affiliates', 'partner', 'affiliate'],
    ['https://shop.example/?utm_source=gdn&utm_medium=display', '', 'Display', 'gdn', 'display'],
    ['https://shop.example/?utm_source=google&utm_medium=cpc&utm_campaign=cross-network-pmax', '', 'Cross-network', 'google', 'cpc'],
    ['https://shop.example/?utm_source=amazon&utm_medium=cpc', '', 'Paid Shopping', 'amazon', 'cpc'],
    ['https://shop.example/', 'https://news.ycombinator.com/item?id=1', 'Referral', 'news.ycombinator.com', 'referral'],
    ['https://shop.example/?utm_source=twilio&utm_medium=sms', '', 'SMS', 'twilio', 'sms'],
    ['https://shop.example/?utm_source=firebase&utm_medium=notification', '', 'Mobile Push Notifications', 'firebase', 'notification'],
    ['https://shop.example/?utm_source=podcast&utm_medium=audio', '', 'Audio', 'podcast', 'audio'],
    ['https://shop.example/?utm_source=weird', '', 'Unassigned', 'weird', '(not set)'],
  ])('%s from "%s" is %s', (url, referrer, channel, source, medium) => {
    expect(on(url, referrer)).toMatchObject({ channel, source, medium });
  });

  it('sees a same-site referrer as no new touch', () => {
    expect(on('https://shop.example/cart', 'https://shop.example/')).toBeUndefined();
    expect(on('https://www.shop.example/cart', 'https://shop.example/')).toBeUndefined();
  });

  it('keeps the campaign, term, content and click id', () => {
    expect(on('https://shop.example/?utm_source=g&utm_medium=cpc&utm_campaign=winter&utm_term=boots&utm_content=a&gclid=CL1')).toMatchObject({
      campaign: 'winter',
      term: 'boots',
      content: 'a',
      clickIdType: 'gclid',
      clickId: 'CL1',
    });
  });
});

describe('classifyChannel()', () => {
  it('prefers paid search over organic for a search engine with a cpc medium', () => {
    expect(classifyChannel({ source: 'google', medium: 'cpc' })).toBe('Paid Search');
    expect(classifyChannel({ source: 'google', medium: 'organic' })).toBe('Organic Search');
  });
  it('is case-insensitive', () => {
    expect(classifyChannel({ source: 'Newsletter', medium: 'EMAIL' })).toBe('Email');
  });
});
