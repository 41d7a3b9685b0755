import { describe, expect, it, vi } from 'vitest';
import { correctTimestamp } from '../../server/lib/clock-skew.js';
import { hmacHex, verifyUserHash } from '../../server/lib/hmac.js';
import { signVisitorToken, verifyVisitorToken } from '../../server/lib/visitor-token.js';
import { RateLimiter } from '../../server/lib/rate-limiter.js';
import { backoff } from '../../src/protocol/backoff.js';
import { uuidv7 } from '../../src/lib/uuidv7.js';
import { scrubUrl } from '../../src/lib/scrub-url.js';
import { markerOffset } from '../../server/console/marker-offset.js';

describe('correctTimestamp()', () => {
  it('moves a client timestamp by the client clock skew', () => {
    // Client clock 1 h fast: event made 10 s before sending.
    const received = new Date('2026-11-22T10:00:00.000Z');
    const r = correctTimestamp('2026-11-22T10:59:50.000Z', '2026-11-22T11:00:00.000Z', received);
    expect(r.toISOString()).toBe('2026-11-22T09:59:50.000Z');
  });
  it('never puts an event in the future', () => {
    const received = new Date('2026-11-22T10:00:00.000Z');
    expect(correctTimestamp('2026-11-22T10:00:10.000Z', '2026-11-22T10:00:00.000Z', received)).toEqual(received);
  });
});

describe('verifyUserHash()', () => {
  const secret = 'site-secret';
  it('accepts the HMAC-SHA256 hex of the user id', () => {
    expect(verifyUserHash(secret, 'user-1', hmacHex(secret, 'user-1'))).toBe(true);
  });
  it('refuses a hash of another user, another key, or a malformed hash', () => {
    expect(verifyUserHash(secret, 'user-2', hmacHex(secret, 'user-1'))).toBe(false);
    expect(verifyUserHash(secret, 'user-1', hmacHex('other', 'user-1'))).toBe(false);
    expect(verifyUserHash(secret, 'user-1', 'zz')).toBe(false);
    expect(verifyUserHash(secret, 'user-1', '')).toBe(false);
  });
});

describe('visitor tokens', () => {
  const claims = { s: 'demo', a: 'anon-1', e: Math.floor(Date.now() / 1000) + 60 };
  it('verify when signed with the same secret', () => {
    expect(verifyVisitorToken('k', signVisitorToken('k', claims))).toEqual(claims);
  });
  it('are refused when forged, tampered with, expired or not strings', () => {
    const t = signVisitorToken('k', claims);
    expect(verifyVisitorToken('other', t)).toBeUndefined();
    const forged = Buffer.from(JSON.stringify({ ...claims, a: 'anon-2' })).toString('base64url') + t.slice(t.indexOf('.'));
    expect(verifyVisitorToken('k', forged)).toBeUndefined();
    expect(verifyVisitorToken('k', signVisitorToken('k', { ...claims, e: 1 }))).toBeUndefined();
    expect(verifyVisitorToken('k', 42)).toBeUndefined();
    expect(verifyVisitorToken('k', 'no-dot')).toBeUndefined();
  });
});

describe('RateLimiter', () => {
  it('allows a burst, then asks to wait, then refills', () => {
    const l = new RateLimiter(1, 2);
    expect(l.take('a', 0)).toBe(0);
    expect(l.take('a', 0)).toBe(0);
    expect(l.take('a', 0)).toBeGreaterThan(0);
    expect(l.take('b', 0)).toBe(0);
    expect(l.take('a', 1_000)).toBe(0);
  });
});

describe('backoff()', () => {
  it('grows exponentially with ±25 % jitter and a cap', () => {
    expect(backoff(0, 0, 1000, 60_000, () => 0)).toBe(750);
    expect(backoff(3, 0, 1000, 60_000, () => 1)).toBe(10_000);
    expect(backoff(30, 0, 1000, 60_000, () => 0.5)).toBe(60_000);
  });
  it('waits at least as long as Retry-After says', () => {
    expect(backoff(0, 30_000, 1000, 60_000, () => 0.5)).toBe(30_000);
  });
});

describe('uuidv7()', () => {
  it('makes RFC 9562 version 7 ids that sort by time', () => {
    const a = uuidv7(1_000);
    const b = uuidv7(2_000);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
  });
  it('stays in creation order within one millisecond and for earlier times', () => {
    const ids = [uuidv7(5_000), uuidv7(5_000), uuidv7(5_000), uuidv7(4_000), uuidv7(5_000)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(5);
  });
  it('draws the random bits of many ids from one call for random values, not one an id', () => {
    const spy = vi.spyOn(crypto, 'getRandomValues');
    try {
      const ids = Array.from({ length: 100 }, () => uuidv7(6_000));
      expect(spy.mock.calls.length).toBeLessThanOrEqual(1);
      expect(new Set(ids).size).toBe(100);
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      // The random part really varies: 100 ids' last 12 hex digits share no value.
      expect(new Set(ids.map((id) => id.slice(-12))).size).toBe(100);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('scrubUrl()', () => {
  it('redacts secrets by key and emails by shape', () => {
    const u = scrubUrl('https://x.test/p?email=a%40b.co&token=t&q=shoes&ref=me@x.io#user=x@y.io');
    expect(u).not.toMatch(/a%40b|a@b|=t&|me@x|x@y/);
    expect(u).toContain('q=shoes');
  });
  it('leaves clean URLs byte-identical', () => {
    expect(scrubUrl('https://x.test/p?q=1')).toBe('https://x.test/p?q=1');
  });
});

describe('replay timeline markers', () => {
  it('sit within the recording: an event just before its first frame is at 0:00, one after its end at the end', () => {
    expect(markerOffset(9_400, 10_000, 60_000)).toBe(0);
    expect(markerOffset(40_000, 10_000, 60_000)).toBe(30_000);
    expect(markerOffset(70_500, 10_000, 60_000)).toBe(60_000);
    expect(markerOffset(10_000, 10_000, 0)).toBe(0);
  });
});
