import { envelope, trackEvent } from './client.js';
import { gzipSync } from 'node:zlib';
import { poison, randomJsonText, randomValue } from './random-json.js';

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
  /** What the answer MUST be exactly, where the payload's one fault makes that certain. */
  expect?: { status: number; code: string; path: string };
}

/** Names that are properties of every JavaScript object: as keys they must mean nothing special. */
export const JS_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', 'isPrototypeOf'];
/** Strings a date-time field must refuse: outside 0001–9999, RFC 9557 suffixes, impossible times. */
export const BAD_DATES = ['0000-01-01T00:00:00Z', '2026-01-01T00:00:00Z[UTC]', '2026-01-01T00:00:00+01:00[Europe/Paris]', '2026-01-01T24:00:00Z', '2026-01-01T00:00:61Z', '2026-02-29T00:00:00Z', '10000-01-01T00:00:00Z', '2026-01-01T00:00:00', '2026-01-01T00:00:00.Z'];
const surveyAnswer = (extra: Record<string, unknown> = {}) => ({ responseId: `fz-${Math.random().toString(36).slice(2)}`, surveyId: 'fuzz', surveyVersion: 1, questionId: 'q', value: 1, anonymousId: 'fuzz', timestamp: new Date().toISOString(), ...extra });
const consentRecord = (extra: Record<string, unknown> = {}) => ({ id: `fz-${Math.random().toString(36).slice(2)}`, anonymousId: 'fuzz', timestamp: new Date().toISOString(), policyVersion: '1', mode: 'opt-in', categories: { necessary: true }, method: 'banner', ...extra });

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
    // The classes an outside probe found (docs/protocol.md §6.1).
    () => {
      const e = trackEvent({ properties: randomValue(rnd, 3) });
      const [where, poisoned] = poison(rnd, e);
      out.push({ name: `${where.poison} at /batch/0${where.path}`, raw: JSON.stringify(envelope({ batch: [poisoned] })), expect: { status: 400, code: 'invalid_body', path: `/batch/0${where.path}` } });
    },
    () => {
      const depth = 65 + Math.floor(rnd() * 5000);
      out.push({ name: 'deep nesting in properties (balanced)', raw: JSON.stringify(envelope({ batch: [trackEvent({ properties: '§' })] })).replace('"§"', `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`) });
    },
    () => {
      const [field, n] = [pick(['surveyVersion', 'replayTimestamp']), pick(['2147483648', '1e300', '9007199254740993', '1e400', '-1', '0.5', '-0.0'])];
      if (field === 'replayTimestamp' && (n === '-0.0' || n === '2147483648')) return;
      if (field === 'surveyVersion' && n === '-0.0') return;
      out.push({ name: `${field} = ${n}`, raw: JSON.stringify(envelope({ responses: [surveyAnswer({ [field]: '§' })] })).replace('"§"', n) });
    },
    () => out.push({ name: 'non-finite number', raw: JSON.stringify(envelope({ batch: [trackEvent({ properties: { n: '§' } })] })).replace('"§"', pick(['1e400', '-1e400', '1E999'])) }),
    () => {
      const bad = pick(BAD_DATES);
      json(`bad date ${bad}`, pick([envelope({ batch: [trackEvent({ timestamp: bad })] }), envelope({ sentAt: bad, batch: [trackEvent()] }), envelope({ consent: [consentRecord({ timestamp: bad })] })]));
    },
    () => out.push({ name: 'property site key', raw: JSON.stringify(envelope({ batch: [trackEvent()] })), query: `&site=${pick(JS_NAMES)}` }),
    () => out.push({ name: 'site key with NUL or broken UTF-8', raw: JSON.stringify(envelope({ batch: [trackEvent()] })), query: pick(['%00', '%ED%A0%80', '%F0%9F', '%C0%80', '%FF']) }),
  ];
  while (out.length < n) pick(makers)();
  return out;
};

export interface HostileRequest {
  name: string;
  method: 'GET' | 'POST';
  /** With `{site}` where the target's site key goes. */
  path: string;
  body?: string | Uint8Array;
  expect?: BadPayload['expect'];
}

/** URL segments that break naive routers: NUL, broken UTF-8, traversal, JavaScript names, length. */
const SEGMENTS = ['%00', 'a%00b', '%ED%A0%80', '%F0%9F', '%C0%80', '%FF', '..', '%2E%2E', '%2F', 'a%2Fb', '%F0%9F%98%80', ...JS_NAMES, 'x'.repeat(65), 'x'.repeat(1500), '%20', '%25', '~'];
const QUERY_VALUES = ['', '%00', '%ED%A0%80', '-1', '1.5', '1e3', '99999999999999999999', '0x1f', 'NaN', 'Infinity', '__proto__', 'x'.repeat(300)];

/**
 * Requests to every endpoint with random grammar-based JSON bodies, hostile
 * URL segments and query values, and poisoned fields whose error path is
 * certain. None can be valid: each MUST get a documented 4xx.
 */
export const hostileRequests = (n: number, seed = 1): HostileRequest[] => {
  const rnd = prng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const out: HostileRequest[] = [];
  const body = () => randomJsonText(rnd, 4);
  const makers: (() => void)[] = [
    () => out.push({ name: 'random JSON batch', method: 'POST', path: '/v1/batch?site={site}', body: body() }),
    () => out.push({ name: 'random JSON visitor', method: 'POST', path: '/v1/visitor', body: body() }),
    () => out.push({ name: 'random JSON conversation', method: 'POST', path: '/v1/chat/conversations', body: body() }),
    () => out.push({ name: 'random JSON message', method: 'POST', path: `/v1/chat/conversations/${pick(SEGMENTS)}/messages`, body: body() }),
    () => out.push({ name: 'random JSON chat action', method: 'POST', path: `/v1/chat/conversations/${pick(SEGMENTS)}/${pick(['typing', 'read', 'handoff', 'email'])}`, body: body() }),
    () => out.push({ name: 'random JSON channel message', method: 'POST', path: `/v1/channels/${pick(SEGMENTS)}/messages?site={site}`, body: body() }),
    () => out.push({ name: 'hostile chat read', method: 'GET', path: `/v1/chat/conversations/${pick(SEGMENTS)}/events?site={site}&token=${pick(QUERY_VALUES)}&after=${pick(QUERY_VALUES)}` }),
    () => out.push({ name: 'hostile chat list', method: 'GET', path: `/v1/chat/conversations?site=${pick(['{site}', ...QUERY_VALUES])}&token=${pick(QUERY_VALUES)}` }),
    () => out.push({ name: 'hostile site config', method: 'GET', path: `/v1/sites/${pick(SEGMENTS)}/config` }),
    () => out.push({ name: 'hostile unknown path', method: pick(['GET', 'POST']), path: `/v1/${pick(SEGMENTS)}/${pick(SEGMENTS)}` }),
    () => {
      const q = new URLSearchParams({ site: '{site}', session: 's1', window: 'w1', seq: '0', first: '1', last: '2', encoding: 'gzip' });
      const k = pick(['site', 'seq', 'first', 'last', 'encoding']); // session/window take almost any id: only keys whose every QUERY_VALUE is wrong
      const v = pick(QUERY_VALUES);
      const raw = `${q.toString().replace('%7Bsite%7D', '{site}')}`.replace(new RegExp(`(^|&)${k}=[^&]*`), `$1${k}=${v}`);
      out.push({ name: `hostile replay ?${k}=${v.slice(0, 20)}`, method: 'POST', path: `/v1/replay?${raw}`, body: gzipSync('[]') });
    },
    () => {
      const [where, v] = poison(rnd, { protocol: 1, siteKey: '{site}', anonymousId: 'fuzz-visitor' });
      out.push({ name: `${where.poison} in a visitor request`, method: 'POST', path: '/v1/visitor', body: JSON.stringify(v), expect: { status: 400, code: 'invalid_body', path: where.path } });
    },
  ];
  while (out.length < n) pick(makers)();
  return out;
};
