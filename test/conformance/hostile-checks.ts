import { gzipSync } from 'node:zlib';
import { ERROR_CODES } from '../../src/protocol/error.js';
import { SCALES } from '../../src/protocol/scales.js';
import { admin, envelope, postBatch, request, trackEvent, type Answer } from './client.js';
import { expect, expectError, inbound, sign, stored, unique, visitorOf, type Check } from './helpers.js';

/**
 * Hostile input, one class per check (docs/protocol.md §6.1): each class an
 * outside probe once turned into a 5xx, an HTML page or an accepted forgery.
 */

/** Whether `a` is an error of the table with its own status, as JSON. */
export const isDocumentedError = (a: Answer): boolean => {
  const code = a.body?.error?.code as string | undefined;
  return (
    a.status >= 400 &&
    a.status < 500 &&
    !!code &&
    Object.hasOwn(ERROR_CODES, code) &&
    ERROR_CODES[code as keyof typeof ERROR_CODES].status === a.status &&
    typeof a.body?.error?.message === 'string' &&
    (a.headers.get('content-type') ?? '').startsWith('application/json')
  );
};
const expectDocumented = (a: Answer, what: string) =>
  expect(isDocumentedError(a), `${what}: expected a documented 4xx error body, got HTTP ${a.status} ${a.headers.get('content-type')} ${a.text.slice(0, 160)}`);
const expectOkOrDocumented = (a: Answer, what: string) =>
  expect(a.status === 200 || isDocumentedError(a), `${what}: expected 200 or a documented 4xx, got HTTP ${a.status} ${a.text.slice(0, 160)}`);

const answerOf = (extra: Record<string, unknown> = {}) => ({
  responseId: unique('conf-r'),
  surveyId: 'conf-survey',
  surveyVersion: 1,
  questionId: 'q',
  value: 1,
  anonymousId: 'conformance-visitor',
  timestamp: new Date().toISOString(),
  ...extra,
});
const consentOf = (extra: Record<string, unknown> = {}) => ({
  id: unique('conf-c'),
  anonymousId: 'conformance-visitor',
  timestamp: new Date().toISOString(),
  policyVersion: '1',
  mode: 'opt-in',
  categories: { necessary: true },
  method: 'banner',
  ...extra,
});

/** A string poisoned at the start, middle or end. */
const POISONS = { NUL: '\u0000', 'a lone high surrogate': '\ud83d', 'a lone low surrogate': '\ude00' } as const;

export const HOSTILE_CHECKS: Check[] = [
  {
    name: 'refuses a NUL or an unpaired surrogate in any string of a batch with invalid_body naming it, and stores nothing',
    async run(t) {
      for (const [what, p] of Object.entries(POISONS)) {
        const cases: [string, Record<string, unknown>, string][] = [
          ['event name', envelope({ batch: [trackEvent({ event: `Clicked ${p}` })] }), '/batch/0/event'],
          ['messageId', envelope({ batch: [trackEvent({ messageId: `${unique('m')}${p}` })] }), '/batch/0/messageId'],
          ['property value', envelope({ batch: [trackEvent(), trackEvent({ properties: { label: `Buy ${p}now` } })] }), '/batch/1/properties/label'],
          ['property key', envelope({ batch: [trackEvent({ properties: { [`k${p}`]: 1 } })] }), `/batch/0/properties/k${p}`],
          ['nested value', envelope({ batch: [trackEvent({ properties: { list: ['ok', { deep: p }] } })] }), '/batch/0/properties/list/1/deep'],
          ['consent id', envelope({ consent: [consentOf({ id: `c${p}` })] }), '/consent/0/id'],
          ['survey text', envelope({ responses: [answerOf({ value: `hard ${p}` })] }), '/responses/0/value'],
          ['sentAt', envelope({ sentAt: `${new Date().toISOString()}${p}`, batch: [trackEvent()] }), '/sentAt'],
        ];
        for (const [field, body, path] of cases) {
          const a = await postBatch(t, body);
          expect(a.status < 500, `${what} in the ${field}: HTTP ${a.status} ${a.text.slice(0, 120)}`);
          expectError(a, 400, 'invalid_body', path);
        }
      }
    },
  },
  {
    name: 'refuses a NUL or an unpaired surrogate in a URL parameter, a visitor request and a chat message with a documented 4xx',
    async run(t) {
      for (const p of ['%00', '%ED%A0%80', '%F0%9F']) {
        expectDocumented(await request(t, `/v1/batch?site=${encodeURIComponent(t.site)}${p}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(envelope({ batch: [trackEvent()] })) }), `raw ?site= with ${p}`);
        expectDocumented(await request(t, `/v1/sites/${encodeURIComponent(t.site)}${p}/config`), `a site key path segment with ${p}`);
        expectDocumented(await request(t, `/v1/chat/conversations/x${p}/events?site=${encodeURIComponent(t.site)}&token=x`), `a conversation id path segment with ${p}`);
      }
      const v = await visitorOf(t, unique('conf-nul'));
      for (const [what, p] of Object.entries(POISONS)) {
        const tok = await request(t, '/v1/visitor', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ protocol: 1, siteKey: t.site, anonymousId: `a${p}` }) });
        expectError(tok, 400, 'invalid_body', '/anonymousId');
        const started = await v.start(unique('conf-conv'), `hello ${p}`);
        expect(started.status < 500, `${what} in a chat message: HTTP ${started.status}`);
        expectError(started, 400, 'invalid_body', '/body');
      }
      const ok = await v.start(unique('conf-conv'), 'hello 😀 again');
      expect(ok.status === 200, `a message with a paired surrogate (an emoji) was refused: ${ok.status} ${ok.text.slice(0, 120)}`);
      const id = ok.body.conversation.id as string;
      const events = (await v.events(id)).body?.events as { body?: string }[] | undefined;
      expect(events?.some((e) => e.body === 'hello 😀 again'), 'the emoji message did not come back as sent');
    },
  },
  {
    name: 'refuses nesting deeper than the documented bound with invalid_body, never a 5xx',
    async run(t) {
      const deep = `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      const raw = JSON.stringify(envelope({ batch: [trackEvent({ properties: '§' })] })).replace('"§"', deep);
      const a = await postBatch(t, null, { raw });
      expectError(a, 400, 'invalid_body');
      expect(String(a.body?.error?.path ?? '').startsWith('/batch/0/properties/a'), `expected a path inside /batch/0/properties/a, got ${a.body?.error?.path}`);
      // 30 levels is ordinary and must pass.
      const ok = await postBatch(t, envelope({ batch: [trackEvent({ properties: JSON.parse(`${'{"x":'.repeat(30)}1${'}'.repeat(30)}`) })] }));
      expect(ok.status === 200, `30 levels of nesting were refused: ${ok.status} ${ok.text.slice(0, 160)}`);
    },
  },
  {
    name: 'refuses numbers out of their documented range with invalid_body naming them',
    async run(t) {
      for (const n of ['2147483648', '1e300', '9007199254740993', '1e400']) {
        const raw = JSON.stringify(envelope({ responses: [answerOf({ surveyVersion: '§' })] })).replace('"§"', n);
        expectError(await postBatch(t, null, { raw }), 400, 'invalid_body', '/responses/0/surveyVersion');
      }
      for (const n of ['1e300', '1e400', '9007199254740993']) {
        const raw = JSON.stringify(envelope({ responses: [answerOf({ replayTimestamp: '§' })] })).replace('"§"', n);
        expectError(await postBatch(t, null, { raw }), 400, 'invalid_body', '/responses/0/replayTimestamp');
      }
      // A number JSON cannot carry as a finite double (1e400 parses to Infinity) is refused wherever it is.
      const inf = JSON.stringify(envelope({ batch: [trackEvent({ properties: { n: '§' } })] })).replace('"§"', '1e400');
      expectError(await postBatch(t, null, { raw: inf }), 400, 'invalid_body', '/batch/0/properties/n');
      const v = await visitorOf(t, unique('conf-num'));
      const id = (await v.start(unique('conf-conv'), 'numbers')).body?.conversation?.id as string;
      for (const after of ['99999999999999999999', '-1', '1.5', '1e3', 'abc', '0x10']) {
        const a = await request(t, `/v1/chat/conversations/${id}/events?site=${encodeURIComponent(t.site)}&token=${encodeURIComponent(v.token)}&after=${after}`);
        expectError(a, 400, 'invalid_body', '?after');
      }
    },
  },
  {
    name: 'takes any RFC 3339 date-time, a leap second included, and answers dates outside years 0001–9999 or with a suffix with invalid_body',
    async run(t) {
      const leap = '2016-12-31T23:59:60Z';
      const e = trackEvent({ timestamp: leap });
      const a = await postBatch(t, { protocol: 1, sentAt: leap, batch: [e] });
      expect(a.status === 200, `a leap second as timestamp and sentAt: expected 200, got ${a.status} ${a.text.slice(0, 160)}`);
      if (t.adminToken) {
        const s = await stored(t, e.messageId);
        expect(s.status === 200 && !Number.isNaN(Date.parse(s.body.timestamp)), `the leap-second event was not stored readably: ${s.status} ${s.text.slice(0, 160)}`);
      }
      const lower = await postBatch(t, { protocol: 1, sentAt: '2026-01-01t10:00:00.123456z', batch: [trackEvent({ timestamp: '2026-01-01T11:00:00+01:00' })] });
      expect(lower.status === 200, `lower-case t/z and an offset: expected 200, got ${lower.status} ${lower.text.slice(0, 160)}`);
      const extremes = await postBatch(t, { protocol: 1, sentAt: '9999-12-31T23:59:59Z', batch: [trackEvent({ timestamp: '0001-01-01T00:00:00Z' })] });
      expectOkOrDocumented(extremes, 'sentAt 9999-12-31 with timestamp 0001-01-01');
      for (const bad of ['0000-01-01T00:00:00Z', '2026-01-01T00:00:00Z[Europe/Paris]', '2026-01-01T00:00:00Z[u-ca=iso8601]', '2026-01-01T00:00:61Z', '2026-01-01T24:00:00Z']) {
        expectError(await postBatch(t, envelope({ batch: [trackEvent({ timestamp: bad })] })), 400, 'invalid_body', '/batch/0/timestamp');
        expectError(await postBatch(t, { protocol: 1, sentAt: bad, batch: [trackEvent()] }), 400, 'invalid_body', '/sentAt');
      }
      expectError(await postBatch(t, envelope({ consent: [consentOf({ timestamp: '2026-01-01T00:00:00Z[UTC]' })] })), 400, 'invalid_body', '/consent/0/timestamp');
    },
  },
  {
    name: 'treats names that are JavaScript properties (constructor, __proto__, toString…) as the unknown names they are',
    async run(t) {
      for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype']) {
        const a = t.channel ? await inbound({ ...t, channel: name, channelSecret: t.channelSecret }, { protocol: 1, externalId: 'x@example.com', messageId: unique('m'), body: 'hi' }) : await request(t, `/v1/channels/${name}/messages?site=${encodeURIComponent(t.site)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        expectError(a, 404, 'unknown_channel');
        expectError(await postBatch(t, envelope({ batch: [trackEvent()] }), { site: name }), 404, 'unknown_site');
        expectError(await request(t, `/v1/sites/${name}/config`), 404, 'unknown_site');
        expectError(await postBatch(t, envelope({ batch: [trackEvent({ type: name })] })), 400, 'invalid_body', '/batch/0/type');
        const consent = await postBatch(t, null, { raw: JSON.stringify(envelope({ consent: [consentOf({ categories: '§' })] })).replace('"§"', `{"${name}":true,"necessary":true}`) });
        expectOkOrDocumented(consent, `a consent category named ${name}`);
      }
    },
  },
  {
    name: 'refuses a visitor token with any character changed, appended or re-cased',
    async run(t) {
      const v = await visitorOf(t, unique('conf-tok'));
      const list = (tok: string) => request(t, `/v1/chat/conversations?site=${encodeURIComponent(t.site)}&token=${encodeURIComponent(tok)}`);
      expect((await list(v.token)).status === 200, 'the genuine token was refused');
      const tok = v.token;
      const dot = tok.indexOf('.');
      const altered = new Set<string>([`${tok}x`, `${tok}0`, `${tok} `, `${tok}g00`, `${tok}=`, `${tok}.`, tok.toUpperCase(), tok.slice(0, dot + 1) + tok.slice(dot + 1).toUpperCase(), `${tok.slice(0, dot)}=${tok.slice(dot)}`, ` ${tok}`]);
      // A sample of single-character changes across the whole token (every position would be the unit test's job).
      for (let i = 0; i < tok.length; i += Math.max(1, Math.floor(tok.length / 48))) {
        const c = tok[i]!;
        const swap = c === '0' ? '1' : c === 'A' ? 'B' : /[a-z]/.test(c) ? c.toUpperCase() : '0';
        altered.add(tok.slice(0, i) + swap + tok.slice(i + 1));
      }
      altered.delete(tok);
      const accepted: string[] = [];
      for (const a of altered) if ((await list(a)).status !== 401) accepted.push(a);
      expect(accepted.length === 0, `${accepted.length} altered tokens were accepted, e.g. ${accepted.slice(0, 3).map((a) => JSON.stringify(a.slice(-12))).join(', ')} (endings)`);
      const forgedStart = await request(t, '/v1/chat/conversations', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ protocol: 1, siteKey: t.site, token: `${tok}x`, clientId: unique('conf-conv'), body: 'forged' }) });
      expectError(forgedStart, 401, 'invalid_token', '/token');
    },
  },
  {
    name: 'refuses an inbound channel signature with characters appended or re-cased',
    needs: ['channel'],
    async run(t) {
      const msg = { protocol: 1, externalId: 'sig@example.com', messageId: unique('<sig') + '@conf>', body: 'altered signature' };
      const good = sign(t.channelSecret!, JSON.stringify(msg));
      const [ts, v1] = good.split(',') as [string, string];
      for (const bad of [`${good}x`, `${good}0`, `${good}00`, `${good}g`, `${ts},${v1.replace('v1=', 'v1=').toUpperCase().replace('V1=', 'v1=')}`, `${ts},${v1.slice(0, -1)}`]) {
        expectError(await inbound(t, msg, bad), 401, 'invalid_signature');
      }
      expect((await inbound(t, msg, good)).status === 200, 'the genuine signature was refused');
    },
  },
  {
    name: 'answers every unknown path, wrong method and over-long URL under /v1/ with the JSON error body, never a page',
    async run(t) {
      const probes: [string, RequestInit, number[]][] = [
        ['/v1/batch', {}, [404, 405]],
        ['/v1/visitor', {}, [404, 405]],
        ['/v1/nope', {}, [404]],
        ['/v1/nope', { method: 'POST', body: '{}' }, [404]],
        ['/v1/chat/nope/deeper', {}, [404]],
        [`/v1/sites/${'k'.repeat(300)}/config`, {}, [400, 404, 414]],
        [`/v1/sites/${'k'.repeat(5000)}/config`, {}, [400, 404, 414, 431]],
        [`/v1/batch?site=${'s'.repeat(20_000)}`, { method: 'POST', body: '{}' }, [400, 404, 413, 414, 431]],
        [`/v1/nope?${'q'.repeat(20_000)}`, {}, [404, 414, 431]],
        ['/v1/batch', { method: 'PUT', body: '{}' }, [404, 405]],
        ['/v1/batch', { method: 'DELETE' }, [404, 405]],
      ];
      for (const [path, init, statuses] of probes) {
        const a = await request(t, path, { headers: { 'content-type': 'text/plain' }, ...init });
        expectDocumented(a, `${init.method ?? 'GET'} ${path.slice(0, 60)}`);
        expect(statuses.includes(a.status), `${init.method ?? 'GET'} ${path.slice(0, 60)}: expected one of ${statuses}, got ${a.status}`);
      }
      expectError(await request(t, '/v1/nope'), 404, 'not_found');
    },
  },
  {
    name: 'refuses another protocol version with unsupported_protocol on every endpoint with a body',
    async run(t) {
      const visitor = await request(t, '/v1/visitor', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ protocol: 2, siteKey: t.site, anonymousId: 'conformance-visitor' }) });
      expectError(visitor, 400, 'unsupported_protocol', '/protocol');
      const v = await visitorOf(t, unique('conf-proto'));
      const chat = await request(t, '/v1/chat/conversations', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ protocol: 2, siteKey: t.site, token: v.token, clientId: unique('c') }) });
      expectError(chat, 400, 'unsupported_protocol', '/protocol');
      if (t.channel) expectError(await inbound(t, { protocol: 2, externalId: 'x@example.com', messageId: unique('m'), body: 'hi' }), 400, 'unsupported_protocol', '/protocol');
    },
  },
  {
    name: 'names a missing field or query parameter itself in error.path',
    async run(t) {
      const e: Record<string, unknown> = trackEvent();
      delete e.messageId;
      expectError(await postBatch(t, envelope({ batch: [e] })), 400, 'invalid_body', '/batch/0/messageId');
      const { sentAt: _, ...noSentAt } = envelope({ batch: [trackEvent()] });
      expectError(await postBatch(t, noSentAt), 400, 'invalid_body', '/sentAt');
      const now = Date.now();
      const chunk = gzipSync('[]');
      for (const missing of ['session', 'window', 'seq', 'first', 'last']) {
        const q = new URLSearchParams({ site: t.site, session: unique('s'), window: 'w', seq: '0', first: String(now), last: String(now), encoding: 'gzip' });
        q.delete(missing);
        expectError(await request(t, `/v1/replay?${q}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: chunk as BodyInit }), 400, 'invalid_body', `?${missing}`);
      }
    },
  },
  {
    name: 'lets the client read the 413 of a body of several megabytes instead of cutting the connection',
    async run(t) {
      const big = new Uint8Array(6 * 1024 * 1024).fill(0x20);
      for (const path of [`/v1/batch?site=${encodeURIComponent(t.site)}`, `/v1/visitor`, `/v1/replay?site=${encodeURIComponent(t.site)}&session=s&window=w&seq=0&first=1&last=2&encoding=gzip`]) {
        for (let i = 0; i < 2; i++) {
          const a = await request(t, path, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: big as BodyInit }).catch((err: Error) => ({ status: 0, text: `${err.message} ${String((err.cause as Error | undefined)?.message ?? '')}` }) as Answer);
          expect(a.status === 413, `POST ${path.split('?')[0]} with 6 MB: expected to read 413, got ${a.status} ${a.text.slice(0, 120)}`);
          expectError(a, 413, 'payload_too_large');
        }
      }
    },
  },
  {
    name: 'answers admin reads of a site that does not exist with unknown_site',
    needs: ['adminToken'],
    async run(t) {
      const missing = { ...t, site: `no-such-site-${Date.now()}` };
      expectError(await admin(missing, '/stats'), 404, 'unknown_site');
      expectError(await admin(missing, '/events/x'), 404, 'unknown_site');
    },
  },
  {
    name: "refuses a survey answer outside its question's scale, or for a question the survey does not have",
    async run(t) {
      const config = (await request(t, `/v1/sites/${encodeURIComponent(t.site)}/config`)).body as { surveys?: { id: string; version: number; questions: { id: string; type: string }[] }[] };
      const survey = config?.surveys?.find((s) => s.questions.some((q) => Object.hasOwn(SCALES, q.type)));
      if (!survey) return 'the site defines no survey with a scored question: nothing to check';
      const q = survey.questions.find((x) => Object.hasOwn(SCALES, x.type))!;
      const [min, max] = SCALES[q.type as keyof typeof SCALES]!;
      const base = { surveyId: survey.id, surveyVersion: survey.version, questionId: q.id };
      const ok = await postBatch(t, envelope({ responses: [answerOf({ ...base, value: max })] }));
      expect(ok.status === 200 && ok.body?.accepted === 1, `an answer of ${max} to a ${q.type} question was refused: ${ok.status} ${ok.text.slice(0, 160)}`);
      for (const value of [max + 1, min - 1, 999, 2.5, 'seven', ['a']]) {
        expectError(await postBatch(t, envelope({ responses: [answerOf({ ...base, value })] })), 400, 'invalid_body', '/responses/0/value');
      }
      for (const questionId of ['no-such-question', 'constructor', '__proto__']) {
        expectError(await postBatch(t, envelope({ responses: [answerOf({ ...base, questionId })] })), 400, 'invalid_body', '/responses/0/questionId');
      }
    },
  },
];
