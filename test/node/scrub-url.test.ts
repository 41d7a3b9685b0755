import { afterEach, describe, expect, it } from 'vitest';
import { allowUrlKeys, scrubUrl } from '../../src/lib/scrub-url.js';

const R = '[redacted]';
const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiIxMjM0NTY3ODkwIiwiZW1haWwiOiJhZGFAZXhhbXBsZS5jb20ifQ.c2lnbmF0dXJl';

describe('scrubUrl on real sign-in, magic-link and reset-password URLs', () => {
  it.each([
    // OAuth 2 authorization code flow (Google), with PKCE.
    [
      'https://app.example.com/oauth/callback?state=af0ifjsldkj&code=4/0AX4XfWhQ9ZJ&scope=email%20profile&prompt=consent',
      `https://app.example.com/oauth/callback?state=${R}&code=${R}&scope=email%20profile&prompt=consent`,
    ],
    [
      'https://accounts.example.com/authorize?client_id=app&code_challenge=E9Melhoa2Owv&code_challenge_method=S256&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb',
      `https://accounts.example.com/authorize?client_id=app&code_challenge=${R}&code_challenge_method=${R}&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb`,
    ],
    // Implicit flow / OIDC: the secrets are in the fragment.
    [
      'https://app.example.com/callback#access_token=ya29.a0AfH6SMBx3&token_type=Bearer&expires_in=3599&state=xyz',
      `https://app.example.com/callback#access_token=${R}&token_type=${R}&expires_in=3599&state=${R}`,
    ],
    [`https://app.example.com/cb#id_token=${JWT}&session_state=abc.def`, `https://app.example.com/cb#id_token=${R}&session_state=${R}`],
    // A hash router's callback route.
    ['https://app.example.com/#/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=1', `https://app.example.com/#/callback?code=${R}&state=${R}`],
    // Supabase magic link, and where it lands.
    [
      'https://abc.supabase.co/auth/v1/verify?token=5d0f6c2e9a&type=magiclink&redirect_to=https://app.example.com',
      `https://abc.supabase.co/auth/v1/verify?token=${R}&type=magiclink&redirect_to=https://app.example.com`,
    ],
    [
      'https://app.example.com/#access_token=eyJhbG.eyJzd.sig&expires_at=1700000000&refresh_token=v1.MRjJ&token_type=bearer&type=magiclink',
      `https://app.example.com/#access_token=${R}&expires_at=1700000000&refresh_token=${R}&token_type=${R}&type=magiclink`,
    ],
    // Firebase e-mail action links (sign-in link, password reset): camelCase keys.
    [
      'https://example.firebaseapp.com/__/auth/action?apiKey=AIzaSyD-x&mode=resetPassword&oobCode=w4Bp8Q&continueUrl=https://app.example.com/&lang=en',
      `https://example.firebaseapp.com/__/auth/action?apiKey=${R}&mode=resetPassword&oobCode=${R}&continueUrl=https://app.example.com/&lang=en`,
    ],
    // NextAuth e-mail sign-in: the address percent-encoded.
    [
      'https://app.example.com/api/auth/callback/email?callbackUrl=https%3A%2F%2Fapp.example.com&token=3b1f&email=ada%40example.com',
      `https://app.example.com/api/auth/callback/email?callbackUrl=https%3A%2F%2Fapp.example.com&token=${R}&email=${R}`,
    ],
    // Clerk sign-in ticket, Auth0 reset ticket.
    ['https://app.example.com/sign-in?__clerk_ticket=eyJhbGc.abc', `https://app.example.com/sign-in?__clerk_ticket=${R}`],
    ['https://tenant.auth0.com/lo/reset?ticket=Tj3r4F#', `https://tenant.auth0.com/lo/reset?ticket=${R}#`],
    // Devise and Laravel password resets; Cognito's confirmation.
    ['https://shop.example.com/users/password/edit?reset_password_token=zyx987', `https://shop.example.com/users/password/edit?reset_password_token=${R}`],
    ['https://shop.example.com/password/reset/9f86d081884c?email=ada%40example.com', `https://shop.example.com/password/reset/9f86d081884c?email=${R}`],
    ['https://app.example.com/confirm?code=123456&username=ada%40example.com', `https://app.example.com/confirm?code=${R}&username=${R}`],
    // SAML, AWS pre-signed (the credential is a key id; the signature and the session token are the secrets), Stripe Checkout, Java session in the path.
    ['https://sp.example.com/acs?SAMLResponse=PHNhbWxw&RelayState=%2Fhome', `https://sp.example.com/acs?SAMLResponse=${R}&RelayState=${R}`],
    [
      'https://b.s3.amazonaws.com/f.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F2026&X-Amz-Signature=fe5f80f7&X-Amz-Security-Token=IQoJ',
      `https://b.s3.amazonaws.com/f.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F2026&X-Amz-Signature=${R}&X-Amz-Security-Token=${R}`,
    ],
    ['https://shop.example.com/thanks?session_id=cs_test_a1b2', `https://shop.example.com/thanks?session_id=${R}`],
    ['https://shop.example.com/cart;jsessionid=ABC123?item=1', `https://shop.example.com/cart;jsessionid=${R}?item=1`],
    // E-mail addresses anywhere: in a value under an innocent key, in the path.
    ['https://app.example.com/invite?to=ada.lovelace%40example.com&ref=mail', `https://app.example.com/invite?to=${R}&ref=mail`],
    ['https://app.example.com/unsubscribe/ada@example.com?list=news', `https://app.example.com/unsubscribe/${R}?list=news`],
    // A JWT under any key.
    [`https://app.example.com/embed?x=${JWT}`, `https://app.example.com/embed?x=${R}`],
    // Relative URLs (replay attributes, form actions) are scrubbed as written.
    ['/reset?token=abc&next=%2F', `/reset?token=${R}&next=%2F`],
    ['?password=hunter2', `?password=${R}`],
    // A URL inside a value, unencoded: its own query is scrubbed too.
    ['https://app.example.com/login?next=https://app.example.com/reset?token=abc', `https://app.example.com/login?next=https://app.example.com/reset?token=${R}`],
  ])('%s', (url, scrubbed) => expect(scrubUrl(url)).toBe(scrubbed));

  it.each([
    'https://shop.example.com/products?utm_source=newsletter&utm_medium=email&utm_campaign=spring&gclid=Cj0KCQ',
    'https://shop.example.com/search?q=shoes&page=2&sort=price#reviews',
    'https://shop.example.com/products/42?color=red&size=M&ref=producthunt',
    'https://shop.example.com/blog?author=ada&keyword=replay&category=design',
    'https://shop.example.com/',
    'not a url at all',
  ])('leaves %s as it is', (url) => expect(scrubUrl(url)).toBe(url));
});

describe('the site allow-list (urlAllowList)', () => {
  afterEach(() => allowUrlKeys([]));

  it('keeps an allowed key although the deny-list names it', () => {
    allowUrlKeys(['state', 'code']);
    expect(scrubUrl('https://shop.example.com/stores?state=CA&code=94103&token=t')).toBe(`https://shop.example.com/stores?state=CA&code=94103&token=${R}`);
  });

  it('still redacts an e-mail or a JWT under an allowed key', () => {
    allowUrlKeys(['state']);
    expect(scrubUrl('https://a.example/?state=ada%40example.com')).toBe(`https://a.example/?state=${R}`);
    expect(scrubUrl(`https://a.example/#state=${JWT}`)).toBe(`https://a.example/#state=${R}`);
  });
});
