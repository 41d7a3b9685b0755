import { envelope, trackEvent } from './client.js';

/** A small seeded PRNG (mulberry32): the same seed makes the same payloads. */
export const prng = (seed: number) => () => {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export interface BadPayload {
  name: string;
  raw: string | Uint8Array;
  /** Extra query string, e.g. `&encoding=gzip` with a body that is not gzip. */
  query?: string;
  contentType?: string;
}

const WRONG_VALUES: unknown[] = [null, 0, -1, 1.5, true, false, [], {}, [1], { a: 1 }, '', 1e308];
const REQUIRED_EVENT = ['type', 'messageId', 'anonymousId', 'timestamp', 'event'];
const EVENT_STRINGS = ['type', 'messageId', 'anonymousId', 'timestamp', 'event'];

/**
 * At least `n` payloads that a conforming backend MUST refuse with a 4xx, each
 * built so that it cannot be valid by accident: every one breaks a rule the
 * schema states (a wrong type, a missing field, an unknown field, an oversize
 * value, broken JSON or gzip…). Each carries fresh message ids, so a backend
 * that wrongly stores one is caught by the store count.
 */
export const badPayloads = (n: number, seed = 1): BadPayload[] => {
  const rnd = prng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const out: BadPayload[] = [];
  const json = (name: string, body: unknown) => out.push({ name, raw: JSON.stringify(body) });

  const makers: (() => void)[] = [
    () => {
      const f = pick(EVENT_STRINGS);
      const v = pick(WRONG_VALUES.filter((x) => typeof x !== 'string' || f === 'type' || f === 'event' || f === 'messageId' || f === 'anonymousId'));
      json(`event.${f} = ${JSON.stringify(v)}`, envelope({ batch: [trackEvent(), trackEvent({ [f]: v })] }));
    },
    () => {
      const f = pick(REQUIRED_EVENT);
      const e: Record<string, unknown> = trackEvent();
      delete e[f];
      json(`event without ${f}`, envelope({ batch: [trackEvent(), e] }));
    },
    () => {
      const f = pick(['protocol', 'sentAt']);
      const env: Record<string, unknown> = envelope({ batch: [trackEvent()] });
      delete env[f];
      json(`envelope without ${f}`, env);
    },
    () => json('unknown envelope field', envelope({ batch: [trackEvent()], [`x${Math.floor(rnd() * 1e6)}`]: pick(WRONG_VALUES) })),
    () => json('unknown event field', envelope({ batch: [trackEvent({ [`y${Math.floor(rnd() * 1e6)}`]: 1 })] })),
    () => json('__proto__ key', JSON.parse(`{"protocol":1,"sentAt":"${new Date().toISOString()}","batch":[${JSON.stringify(trackEvent())}],"__proto__":{"polluted":true}}`)),
    () => out.push({ name: '__proto__ in event', raw: `{"protocol":1,"sentAt":"${new Date().toISOString()}","batch":[{"__proto__":{"x":1},${JSON.stringify(trackEvent()).slice(1)}]}` }),
    () => json('bad protocol', envelope({ protocol: pick([0, 2, '1', null, 1.5, [], {}]), batch: [trackEvent()] })),
    () => json('bad sentAt', envelope({ sentAt: pick(['yesterday', '2026-13-01T00:00:00Z', 12345, '', null]), batch: [trackEvent()] })),
    () => json('bad timestamp', envelope({ batch: [trackEvent({ timestamp: pick(['now', '2026-02-30', 'T10:00', 0, '']) })] })),
    () => json('batch not an array', envelope({ batch: pick([{}, 'x', 1, true]) })),
    () => json('consent not an array', envelope({ consent: pick([{}, 'x', 1]) })),
    () => json('unknown event type', envelope({ batch: [trackEvent({ type: pick(['screen', 'TRACK', '', 'identify2', 'constructor', '__proto__', 'toString']) })] })),
    () => json('oversize id', envelope({ batch: [trackEvent({ [pick(['messageId', 'anonymousId'])]: 'x'.repeat(65 + Math.floor(rnd() * 100)) })] })),
    () => json('oversize event', envelope({ batch: [trackEvent({ properties: { blob: 'x'.repeat(33_000 + Math.floor(rnd() * 5_000)) } })] })),
    () => json('too many items', envelope({ batch: Array.from({ length: 501 }, () => ({ type: 'track' })) })),
    () => json('bad userHash shape', envelope({ batch: [{ ...trackEvent({ type: 'identify', userId: 'u' }), event: undefined, userHash: pick(['zz', 'A'.repeat(64), '0'.repeat(63), 123]) }] })),
    () => json('body is not an object', pick([[], 1, 'batch', true, null])),
    () => {
      const good = JSON.stringify(envelope({ batch: [trackEvent(), trackEvent()] }));
      out.push({ name: 'truncated JSON', raw: good.slice(0, 1 + Math.floor(rnd() * (good.length - 2))) });
    },
    () => {
      const bytes = new Uint8Array(1 + Math.floor(rnd() * 200));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rnd() * 256);
      bytes[0] = 0xff; // never valid UTF-8 JSON
      out.push({ name: 'random bytes', raw: bytes });
    },
    () => out.push({ name: 'gzip flag on plain body', raw: JSON.stringify(envelope({ batch: [trackEvent()] })), query: '&encoding=gzip' }),
    () => out.push({ name: 'unknown encoding', raw: JSON.stringify(envelope({ batch: [trackEvent()] })), query: `&encoding=${pick(['br', 'deflate', 'x'])}` }),
    () => out.push({ name: 'wrong content type', raw: JSON.stringify(envelope({ batch: [trackEvent()] })), contentType: pick(['image/png', 'application/x-www-form-urlencoded', 'application/xml']) }),
    () => json('consent record with wrong types', envelope({ consent: [{ id: 'c', anonymousId: 'a', timestamp: new Date().toISOString(), policyVersion: '1', mode: 'opt-in', method: 'banner', categories: pick([{ analytics: 'yes' }, [], 'all', null]) }] })),
    () => json('deep nesting in an unknown field', envelope({ batch: [trackEvent()], deep: JSON.parse('['.repeat(2000) + ']'.repeat(2000)) })),
  ];
  while (out.length < n) pick(makers)();
  return out;
};
