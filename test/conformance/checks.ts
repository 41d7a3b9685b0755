import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { envelope, identifyEvent, postBatch, request, trackEvent, type Answer } from './client.js';
import { badPayloads, hostileRequests } from './fuzz.js';
import { expect, expectError, inbound, sign, stats, stored, unique, visitorOf, type Check } from './helpers.js';
import { HOSTILE_CHECKS, isDocumentedError } from './hostile-checks.js';
import { THUMBNAIL_SIDE } from '../../src/protocol/attachment-types.js';
import type { SurveyDefinition } from '../../src/protocol/survey.js';

export { CheckFailed, type Check } from './helpers.js';

/** Every MUST of docs/protocol.md that can be seen from outside. */
export const CHECKS: Check[] = [
  {
    name: 'takes a signed inbound channel message into a conversation of that channel, once per messageId',
    needs: ['channel'],
    async run(t) {
      const msg = { protocol: 1, externalId: unique('conf') + '@example.com', messageId: unique('<m') + '@conf>', body: 'Hello from another channel' };
      const a = await inbound(t, msg);
      expect(a.status === 200, `expected 200, got ${a.status}: ${a.text.slice(0, 200)}`);
      expect(a.body?.conversation?.channel === t.channel, `expected conversation.channel "${t.channel}", got ${a.text.slice(0, 200)}`);
      const again = await inbound(t, msg);
      expect(again.status === 200 && again.body?.conversation?.id === a.body.conversation.id, 'a repeated messageId must land in the same conversation');
      expect(!(again.body?.events ?? []).some((e: { body?: string }) => e.body === msg.body), 'a repeated messageId must not store the message again');
    },
  },
  {
    name: 'refuses an inbound channel message that is unsigned, wrongly signed or signed too long ago',
    needs: ['channel'],
    async run(t) {
      const msg = { protocol: 1, externalId: 'x@example.com', messageId: unique('<bad') + '@conf>', body: 'forged' };
      const raw = JSON.stringify(msg);
      expectError(await inbound(t, msg, ''), 401, 'invalid_signature');
      expectError(await inbound(t, msg, sign('not-the-secret', raw)), 401, 'invalid_signature');
      expectError(await inbound(t, msg, sign(t.channelSecret!, raw, Date.now() - 600_000)), 401, 'invalid_signature');
      expectError(await inbound({ ...t, channel: 'no-such-channel' }, msg), 404, 'unknown_channel');
    },
  },
  {
    name: 'accepts a valid batch of events as text/plain and answers accepted/duplicates',
    async run(t) {
      const a = await postBatch(t, envelope({ batch: [trackEvent(), trackEvent({ type: 'page', event: undefined, name: 'Home' })] }));
      expect(a.status === 200, `expected 200, got ${a.status}: ${a.text}`);
      expect(a.body?.accepted === 2 && a.body?.duplicates === 0, `expected {accepted: 2, duplicates: 0}, got ${a.text}`);
    },
  },
  {
    name: 'accepts application/json as well as text/plain',
    async run(t) {
      const a = await postBatch(t, envelope({ batch: [trackEvent()] }), { contentType: 'application/json' });
      expect(a.status === 200, `expected 200, got ${a.status}`);
    },
  },
  {
    name: 'accepts a gzip body announced with encoding=gzip',
    async run(t) {
      const a = await postBatch(t, envelope({ batch: [trackEvent()] }), { gzip: true });
      expect(a.status === 200 && a.body?.accepted === 1, `expected 200 accepted 1, got ${a.status} ${a.text}`);
    },
  },
  {
    name: 'stores a repeated messageId once, within a request and across requests',
    async run(t) {
      const e = trackEvent();
      const first = await postBatch(t, envelope({ batch: [e, e] }));
      expect(first.body?.accepted === 1 && first.body?.duplicates === 1, `first send: expected accepted 1, duplicates 1, got ${first.text}`);
      const again = await postBatch(t, envelope({ batch: [e] }));
      expect(again.status === 200 && again.body?.accepted === 0 && again.body?.duplicates === 1, `repeat: expected accepted 0, duplicates 1, got ${again.text}`);
    },
  },
  {
    name: 'stores a repeated consent record id once',
    async run(t) {
      const rec = { id: `conf-c-${Date.now()}-${Math.random()}`, anonymousId: 'conformance-visitor', timestamp: new Date().toISOString(), policyVersion: '1', mode: 'opt-in', categories: { necessary: true, analytics: true }, method: 'banner' };
      const a = await postBatch(t, envelope({ consent: [rec] }));
      const b = await postBatch(t, envelope({ consent: [rec] }));
      expect(a.body?.accepted === 1 && b.body?.duplicates === 1, `expected 1 accepted then 1 duplicate, got ${a.text} / ${b.text}`);
    },
  },
  {
    name: "accepts every consent method, 'carried' (a decision recorded again for a new anonymous id after reset()) included",
    async run(t) {
      for (const method of ['banner', 'api', 'gpc', 'default', 'carried']) {
        const rec = { id: `conf-m-${method}-${Date.now()}-${Math.random()}`, anonymousId: 'conformance-visitor', timestamp: new Date().toISOString(), policyVersion: '1', mode: 'opt-in', categories: { necessary: true, analytics: true }, method };
        const a = await postBatch(t, envelope({ consent: [rec] }));
        expect(a.status === 200 && a.body?.accepted === 1, `method ${method}: expected 200 accepted 1, got ${a.status} ${a.text}`);
      }
    },
  },
  {
    name: 'corrects timestamps for clock skew: receivedAt − (sentAt − originalTimestamp)',
    needs: ['adminToken'],
    async run(t) {
      // A client whose clock is two hours fast; the event was made 30 s before sending.
      const fast = Date.now() + 2 * 3600_000;
      const e = trackEvent({ timestamp: new Date(fast - 30_000).toISOString() });
      const before = Date.now();
      await postBatch(t, { protocol: 1, sentAt: new Date(fast).toISOString(), batch: [e] });
      const s = await stored(t, e.messageId);
      expect(s.status === 200, `admin read: expected 200, got ${s.status}`);
      const ts = Date.parse(s.body.timestamp);
      expect(Math.abs(ts - (before - 30_000)) < 5_000, `expected timestamp ≈ ${new Date(before - 30_000).toISOString()}, got ${s.body.timestamp}`);
      expect(s.body.originalTimestamp === e.timestamp, `expected originalTimestamp ${e.timestamp}, got ${s.body.originalTimestamp}`);
    },
  },
  {
    name: 'never puts an event in the future',
    needs: ['adminToken'],
    async run(t) {
      const e = trackEvent({ timestamp: new Date(Date.now() + 3600_000).toISOString() });
      await postBatch(t, envelope({ batch: [e] }));
      const s = await stored(t, e.messageId);
      expect(Date.parse(s.body.timestamp) <= Date.parse(s.body.receivedAt), `timestamp ${s.body.timestamp} is after receivedAt ${s.body.receivedAt}`);
    },
  },
  {
    name: 'writes nothing of a request it refuses (one bad item refuses all)',
    needs: ['adminToken'],
    async run(t) {
      const good = trackEvent();
      const a = await postBatch(t, envelope({ batch: [good, trackEvent({ event: 42 })] }));
      expectError(a, 400, 'invalid_body', '/batch/1/event');
      expect((await stored(t, good.messageId)).status === 404, 'the valid first event of a refused batch was stored');
    },
  },
  {
    name: 'answers validation errors with invalid_body and the JSON Pointer of the value',
    async run(t) {
      expectError(await postBatch(t, envelope({ batch: [trackEvent({ event: 5 })] })), 400, 'invalid_body', '/batch/0/event');
      expectError(await postBatch(t, envelope({ batch: [trackEvent({ extra: true })] })), 400, 'invalid_body', '/batch/0/extra');
      expectError(await postBatch(t, envelope({ sentAt: 'yesterday', batch: [] })), 400, 'invalid_body', '/sentAt');
      expectError(await postBatch(t, envelope({ batch: [trackEvent({ type: 'screen' })] })), 400, 'invalid_body', '/batch/0/type');
    },
  },
  {
    name: 'answers malformed JSON and broken gzip with invalid_json',
    async run(t) {
      expectError(await postBatch(t, null, { raw: '{"protocol":1,' }), 400, 'invalid_json');
      expectError(await postBatch(t, null, { raw: 'not gzip', query: '&encoding=gzip' }), 400, 'invalid_json');
    },
  },
  {
    name: 'refuses another protocol version with unsupported_protocol',
    async run(t) {
      expectError(await postBatch(t, envelope({ protocol: 2, batch: [trackEvent()] })), 400, 'unsupported_protocol', '/protocol');
    },
  },
  {
    name: 'refuses an unknown site key with unknown_site',
    async run(t) {
      expectError(await postBatch(t, envelope({ batch: [trackEvent()] }), { site: `no-such-site-${Date.now()}` }), 404, 'unknown_site');
    },
  },
  {
    name: 'refuses an event over 32 KB and a body over 500 KB with payload_too_large',
    async run(t) {
      expectError(await postBatch(t, envelope({ batch: [trackEvent({ properties: { b: 'x'.repeat(33 * 1024) } })] })), 413, 'payload_too_large', '/batch/0');
      const big = envelope({ batch: Array.from({ length: 20 }, () => trackEvent({ properties: { b: 'x'.repeat(30 * 1024) } })) });
      expectError(await postBatch(t, big), 413, 'payload_too_large');
    },
  },
  {
    name: 'refuses a gzip bomb without inflating it past the limit',
    async run(t) {
      expectError(await postBatch(t, null, { raw: gzipSync(Buffer.alloc(20 * 1024 * 1024, 32)), query: '&encoding=gzip' }), 413, 'payload_too_large');
    },
  },
  {
    name: 'refuses bodies that are not JSON text with unsupported_media_type',
    async run(t) {
      expectError(await postBatch(t, envelope({ batch: [trackEvent()] }), { contentType: 'image/png' }), 415, 'unsupported_media_type');
    },
  },
  {
    name: 'echoes the Origin so browsers can read answers, and answers preflights',
    async run(t) {
      const a = await postBatch(t, envelope({ batch: [trackEvent()] }), { headers: { origin: 'https://conformance.invalid' } });
      expect(a.headers.get('access-control-allow-origin') === 'https://conformance.invalid', `no Access-Control-Allow-Origin echo (got ${a.headers.get('access-control-allow-origin')})`);
      const p = await request(t, '/v1/batch', { method: 'OPTIONS', headers: { origin: 'https://conformance.invalid', 'access-control-request-method': 'POST' } });
      expect(p.status === 204 || p.status === 200, `preflight: expected 204, got ${p.status}`);
    },
  },
  {
    name: "refuses data from an origin outside the site's allow-list with origin_not_allowed",
    needs: ['lockedSite'],
    async run(t) {
      const a = await postBatch(t, envelope({ batch: [trackEvent()] }), { site: t.lockedSite, headers: { origin: 'https://not-allowed.invalid' } });
      expectError(a, 403, 'origin_not_allowed');
    },
  },
  {
    name: 'verifies userHash: a valid one marks the identity verified, a forged one is refused',
    needs: ['siteSecret', 'adminToken'],
    async run(t) {
      const userId = `conf-user-${Date.now()}`;
      const hash = createHmac('sha256', t.siteSecret!).update(userId).digest('hex');
      const ok = identifyEvent(userId, hash);
      expect((await postBatch(t, envelope({ batch: [ok] }))).status === 200, 'a valid userHash was refused');
      expect((await stored(t, ok.messageId)).body?.verified === true, 'a valid userHash did not mark the event verified');
      const forged = identifyEvent(userId, createHmac('sha256', 'guess').update(userId).digest('hex'));
      expectError(await postBatch(t, envelope({ batch: [forged] })), 403, 'invalid_user_hash', '/batch/0/userHash');
      expect((await stored(t, forged.messageId)).status === 404, 'an identify with a forged userHash was stored');
    },
  },
  {
    name: 'refuses a forged userHash when issuing a visitor token',
    async run(t) {
      const a = await request(t, '/v1/visitor', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ protocol: 1, siteKey: t.site, anonymousId: 'conformance-visitor', userId: 'someone', userHash: 'ab'.repeat(32) }),
      });
      expectError(a, 403, 'invalid_user_hash');
      const anon = await request(t, '/v1/visitor', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ protocol: 1, siteKey: t.site, anonymousId: 'conformance-visitor' }) });
      expect(anon.status === 200 && typeof anon.body?.token === 'string' && anon.body?.verified === false, `anonymous token: got ${anon.status} ${anon.text}`);
    },
  },
  {
    name: 'serves the public site config without secrets',
    async run(t) {
      const a = await request(t, `/v1/sites/${encodeURIComponent(t.site)}/config`);
      expect(a.status === 200 && a.body?.protocol === 1 && a.body?.siteKey === t.site, `expected the config, got ${a.status} ${a.text.slice(0, 200)}`);
      if (t.siteSecret) expect(!a.text.includes(t.siteSecret), 'the site config contains the site secret');
      expectError(await request(t, `/v1/sites/no-such-site-${Date.now()}/config`), 404, 'unknown_site');
    },
  },
  {
    name: 'serves help rules in the site config only with at least one, each with a unique id, and stores their firings as events with the rule id',
    async run(t) {
      const a = await request(t, `/v1/sites/${encodeURIComponent(t.site)}/config`);
      const help = a.body?.help as { rules?: { id?: unknown; when?: unknown; action?: { kind?: unknown } }[] } | undefined;
      if (help !== undefined) {
        const rules = help.rules ?? [];
        expect(rules.length > 0, '`help` is sent only when the site has rules (the SDK loads their code only then)');
        expect(new Set(rules.map((r) => r.id)).size === rules.length, 'help rule ids must be unique: firings are recorded by id');
        expect(rules.every((r) => typeof r.when === 'object' && ['chat', 'survey', 'link'].includes(r.action?.kind as string)), `help rules must have a when and an action of a known kind, got ${JSON.stringify(help).slice(0, 200)}`);
      }
      const fired = trackEvent({ event: 'Help Rule Fired', properties: { ruleId: 'conf-rule', action: 'chat' } });
      const r = await postBatch(t, envelope({ batch: [fired] }));
      expect(r.status === 200 && r.body?.accepted === 1, `a help rule's firing is an ordinary track event, got ${r.status} ${r.text}`);
      if (t.adminToken) {
        const e = await stored(t, fired.messageId as string);
        expect(e.status === 200 && e.body?.event?.properties?.ruleId === 'conf-rule', `the firing keeps its rule id, got ${e.status} ${e.text.slice(0, 200)}`);
      }
    },
  },
  {
    name: 'serves a help rule\'s holdout share as a number from 0 to 0.5, and stores a held-out match as an event with the rule id',
    async run(t) {
      const a = await request(t, `/v1/sites/${encodeURIComponent(t.site)}/config`);
      const help = a.body?.help as { holdout?: unknown; rules?: { holdout?: unknown }[] } | undefined;
      const share = (h: unknown) => h === undefined || (typeof h === 'number' && h >= 0 && h <= 0.5);
      if (help !== undefined) expect(share(help.holdout) && (help.rules ?? []).every((r) => share(r.holdout)), `holdout must be absent or a number from 0 to 0.5, got ${JSON.stringify(help).slice(0, 200)}`);
      const held = trackEvent({ event: 'Help Rule Held Out', properties: { ruleId: 'conf-rule', action: 'chat' } });
      const r = await postBatch(t, envelope({ batch: [held] }));
      expect(r.status === 200 && r.body?.accepted === 1, `a held-out match is an ordinary track event, got ${r.status} ${r.text}`);
      if (t.adminToken) {
        const e = await stored(t, held.messageId as string);
        expect(e.status === 200 && e.body?.event?.properties?.ruleId === 'conf-rule', `the held-out match keeps its rule id, got ${e.status} ${e.text.slice(0, 200)}`);
      }
    },
  },
  {
    name: 'stores a survey answer once per response and question, and a dismissal',
    async run(t) {
      const responseId = unique('conf-resp');
      const answer = { responseId, surveyId: 'conf-ces', surveyVersion: 1, questionId: 'ces', value: 2, anonymousId: 'conformance-visitor', timestamp: new Date().toISOString() };
      const a = await postBatch(t, envelope({ responses: [answer, { ...answer, questionId: 'why', value: 'Checkout kept failing' }] }));
      expect(a.status === 200 && a.body?.accepted === 2, `expected 2 accepted, got ${a.status} ${a.text}`);
      const b = await postBatch(t, envelope({ responses: [answer] }));
      expect(b.body?.accepted === 0 && b.body?.duplicates === 1, `a repeated answer was stored again: ${b.text}`);
      expectError(await postBatch(t, envelope({ responses: [{ ...answer, responseId: unique('r'), surveyVersion: 'one' }] })), 400, 'invalid_body', '/responses/0/surveyVersion');
      // A closed survey is recorded as `$dismissed` with no value; other `$` ids are not question ids.
      const { value: _, ...dismissal } = { ...answer, questionId: '$dismissed', final: true };
      const d = await postBatch(t, envelope({ responses: [dismissal] }));
      expect(d.status === 200 && d.body?.accepted === 1, `a $dismissed answer was refused: ${d.status} ${d.text}`);
      expectError(await postBatch(t, envelope({ responses: [{ ...dismissal, questionId: '$other' }] })), 400, 'invalid_body', '/responses/0/questionId');
    },
  },
  {
    name: "serves survey translations keyed by canonical language tags, naming only the survey's questions and options, and takes the language shown on each answer",
    async run(t) {
      const config = (await request(t, `/v1/sites/${encodeURIComponent(t.site)}/config`)).body as { surveys?: SurveyDefinition[] } | undefined;
      for (const s of config?.surveys ?? []) {
        const own = s.defaultLanguage ?? 'en';
        for (const [tag, tr] of Object.entries(s.translations ?? {})) {
          expect(Intl.getCanonicalLocales(tag)[0] === tag && tag !== own, `survey "${s.id}": translation "${tag}" must be a canonical language tag other than the default "${own}"`);
          for (const [qid, qt] of Object.entries(tr.questions ?? {})) {
            const q = s.questions.find((x) => x.id === qid);
            expect(!!q && Object.keys(qt.options ?? {}).every((o) => q.options?.some((x) => x.id === o)), `survey "${s.id}" translation "${tag}" names "${qid}", which is not one of its questions (or an option it lacks)`);
          }
        }
      }
      const answer = { responseId: unique('conf-lang'), surveyId: 'conf-lang', surveyVersion: 1, questionId: 'ces', value: 6, anonymousId: 'conformance-visitor', timestamp: new Date().toISOString() };
      const a = await postBatch(t, envelope({ responses: [{ ...answer, locale: 'zh-Hant' }, { ...answer, questionId: 'why', value: 'لا شيء', locale: 'ar' }] }));
      expect(a.status === 200 && a.body?.accepted === 2, `answers carrying the language shown: expected 2 accepted, got ${a.status} ${a.text}`);
      expectError(await postBatch(t, envelope({ responses: [{ ...answer, responseId: unique('r'), locale: 'x'.repeat(65) }] })), 400, 'invalid_body', '/responses/0/locale');
    },
  },
  {
    name: 'stores a replay chunk once per (session, window, seq) and refuses corrupt chunks',
    async run(t) {
      const session = unique('conf-s');
      const now = Date.now();
      const chunk = (seq: number, raw?: Uint8Array) =>
        request(t, `/v1/replay?site=${encodeURIComponent(t.site)}&session=${session}&window=w1&seq=${seq}&first=${now}&last=${now + 100}&encoding=gzip`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: (raw ?? gzipSync(JSON.stringify([{ type: 4, data: { href: 'https://x.invalid/', width: 800, height: 600 }, timestamp: now }]))) as BodyInit,
        });
      const a = await chunk(0);
      expect(a.status === 200 && a.body?.stored === true, `first chunk: expected 200 {stored: true}, got ${a.status} ${a.text}`);
      const b = await chunk(0);
      expect(b.status === 200 && b.body?.stored === false, `repeat: expected 200 {stored: false}, got ${b.status} ${b.text}`);
      expectError(await chunk(1, new TextEncoder().encode('not gzip')), 400, 'invalid_json');
      expectError(await chunk(2, gzipSync('{"not":"an array"}')), 400, 'invalid_body');
      expectError(await chunk(3, new Uint8Array(1_100_000)), 413, 'payload_too_large');
      const badSeq = await request(t, `/v1/replay?site=${encodeURIComponent(t.site)}&session=${session}&window=w1&seq=-1&first=1&last=2&encoding=gzip`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: gzipSync('[]') as BodyInit });
      expectError(badSeq, 400, 'invalid_body', '?seq');
    },
  },
  {
    name: "never shows one visitor another visitor's conversation (404, not 403), nor accepts a forged token",
    async run(t) {
      const a = await visitorOf(t, unique('conf-a'));
      const b = await visitorOf(t, unique('conf-b'));
      const started = await a.start(unique('conf-conv'), 'a private message');
      expect(started.status === 200, `start: expected 200, got ${started.status} ${started.text.slice(0, 200)}`);
      const id = started.body.conversation.id as string;
      expectError(await b.events(id), 404, 'not_found');
      expectError(await b.send(id, unique('m'), 'intrusion'), 404, 'not_found');
      const forged = a.token.slice(0, -1) + (a.token.endsWith('0') ? '1' : '0');
      expectError(await a.events(id, forged), 401, 'invalid_token');
      expect((await a.events(id)).status === 200, 'the owner could not read its own conversation');
    },
  },
  {
    name: 'creates one conversation and one message per clientId, however often they are sent',
    async run(t) {
      const v = await visitorOf(t, unique('conf-idem'));
      const key = unique('conf-conv');
      const one = await v.start(key);
      const two = await v.start(key);
      expect(one.body?.conversation?.id && one.body.conversation.id === two.body?.conversation?.id, 'the same clientId created two conversations');
      const id = one.body.conversation.id as string;
      const m = unique('msg');
      await v.send(id, m, 'once');
      await v.send(id, m, 'once');
      const events = (await v.events(id)).body.events as { clientId?: string }[];
      expect(events.filter((e) => e.clientId === m).length === 1, 'a repeated message clientId was stored twice');
    },
  },
  {
    name: "takes a visitor's image into their own conversation only, by its bytes, and serves it sandboxed (§10.3)",
    async run(t) {
      // A 1×1 PNG; the same bytes declared as something else, and an HTML page declared image/png, are refused.
      const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
      const a = await visitorOf(t, unique('conf-file-a'));
      const b = await visitorOf(t, unique('conf-file-b'));
      const id = (await a.start(unique('conf-conv'), 'a picture follows')).body.conversation.id as string;
      const up = (v: { token: string }, body: Uint8Array | string, type: string, name = 'photo.png') =>
        request(t, `/v1/chat/conversations/${id}/attachments?site=${encodeURIComponent(t.site)}&token=${encodeURIComponent(v.token)}&clientId=${unique('f')}&name=${name}`, { method: 'POST', headers: { 'content-type': type }, body: body as BodyInit });
      expectError(await up(a, '<html><script>alert(1)</script></html>', 'image/png'), 415, 'unsupported_media_type');
      expectError(await up(a, '%PDF-1.4\n%%EOF\n', 'image/png'), 415, 'unsupported_media_type');
      expectError(await up(a, new Uint8Array(0), 'image/png'), 400, 'invalid_body');
      expectError(await up(b, png, 'image/png'), 404, 'not_found');
      const ok = await up(a, png, 'image/png');
      expect(ok.status === 200, `upload: expected 200, got ${ok.status} ${ok.text.slice(0, 200)}`);
      const msg = (ok.body.events as { seq: number; data?: { attachments?: { contentType: string; size: number }[] } }[])[0]!;
      expect(msg.data?.attachments?.[0]?.contentType === 'image/png' && msg.data.attachments[0].size === png.length, `expected data.attachments [{ contentType: image/png, size: ${png.length} }], got ${JSON.stringify(msg.data)}`);
      const file = (v: { token: string }) => request(t, `/v1/chat/conversations/${id}/attachments/${msg.seq}/0?site=${encodeURIComponent(t.site)}&token=${encodeURIComponent(v.token)}`);
      expectError(await file(b), 404, 'not_found');
      const got = await file(a);
      expect(got.status === 200 && got.headers.get('content-type') === 'image/png', `GET the file: expected 200 image/png, got ${got.status} ${got.headers.get('content-type')}`);
      expect(got.headers.get('x-content-type-options') === 'nosniff', 'the file must be served with X-Content-Type-Options: nosniff');
      expect(/default-src 'none'/.test(got.headers.get('content-security-policy') ?? '') && /sandbox/.test(got.headers.get('content-security-policy') ?? ''), "the file must be served with Content-Security-Policy: default-src 'none'; sandbox");
      expect(/^inline/.test(got.headers.get('content-disposition') ?? ''), 'an image must be served with Content-Disposition: inline');
      // A thumbnail (SHOULD): announced with its size, at most THUMBNAIL_SIDE a side, served like the file and to its visitor only.
      const thumb = (msg.data?.attachments?.[0] as { thumbnail?: { width: number; height: number } } | undefined)?.thumbnail;
      const thumbOf = (v: { token: string }) => request(t, `/v1/chat/conversations/${id}/attachments/${msg.seq}/0/thumbnail?site=${encodeURIComponent(t.site)}&token=${encodeURIComponent(v.token)}`);
      if (thumb) {
        expect(thumb.width >= 1 && thumb.height >= 1 && thumb.width <= THUMBNAIL_SIDE && thumb.height <= THUMBNAIL_SIDE, `a thumbnail is at most ${THUMBNAIL_SIDE} px a side, got ${JSON.stringify(thumb)}`);
        const small = await thumbOf(a);
        expect(small.status === 200 && small.headers.get('content-type') === 'image/webp', `GET the thumbnail: expected 200 image/webp, got ${small.status} ${small.headers.get('content-type')}`);
        expect(small.headers.get('x-content-type-options') === 'nosniff' && /sandbox/.test(small.headers.get('content-security-policy') ?? ''), 'the thumbnail must be served with nosniff and a sandbox CSP, like the file');
        expectError(await thumbOf(b), 404, 'not_found');
      } else expectError(await thumbOf(a), 404, 'not_found');
    },
  },
  {
    name: 'resumes the chat stream from Last-Event-ID with exactly the missed events, in order, none twice',
    async run(t) {
      const v = await visitorOf(t, unique('conf-sse'));
      const id = (await v.start(unique('conf-conv'), 'first')).body.conversation.id as string;
      const first = v.stream();
      try {
        await first.waitFor(() => first.of('ready').length === 1);
        await v.send(id, unique('m'), 'seen live');
        await first.waitFor(() => first.of('chat').some((e) => e.body === 'seen live'));
      } finally {
        first.close();
      }
      const cursor = first.lastEventId;
      expect(!!cursor, 'stored events must carry an SSE id (the cursor)');
      for (const n of ['missed 1', 'missed 2', 'missed 3']) await v.send(id, unique('m'), n);
      const second = v.stream({ 'last-event-id': cursor! });
      try {
        await second.waitFor(() => second.of('chat').some((e) => e.body === 'missed 3'));
        await new Promise((r) => setTimeout(r, 300));
        const got = second.of<{ conversationId: string; seq: number; body?: string; author: { kind: string } }>('chat').filter((e) => e.conversationId === id);
        const seqs = got.map((e) => e.seq);
        expect(new Set(seqs).size === seqs.length, `an event came twice: seqs ${seqs}`);
        expect(seqs.every((q, i) => i === 0 || q === seqs[i - 1]! + 1), `events out of order or with gaps: ${seqs}`);
        expect(!got.some((e) => e.body === 'seen live' || e.body === 'first'), 'events delivered before the cursor were sent again');
        expect(got.filter((e) => e.author.kind === 'visitor').map((e) => e.body).join('|') === 'missed 1|missed 2|missed 3', `missed messages: ${got.map((e) => e.body)}`);
      } finally {
        second.close();
      }
    },
  },
  {
    name: 'tells a chat stream whether someone can answer: event presence { online } right after ready',
    async run(t) {
      const v = await visitorOf(t, unique('conf-presence'));
      const s = v.stream();
      try {
        await s.waitFor(() => s.of('ready').length === 1 && s.of('presence').length >= 1);
        const p = s.messages.find((m) => m.event === 'presence')!;
        const data = JSON.parse(p.data) as Record<string, unknown>;
        expect(typeof data.online === 'boolean' && Object.keys(data).join() === 'online', `presence data must be { online: boolean }, got ${p.data}`);
        expect(p.id === undefined, 'presence must carry no id (it is not replayed)');
        expect(s.messages.findIndex((m) => m.event === 'ready') < s.messages.indexOf(p), 'presence came before ready');
      } finally {
        s.close();
      }
    },
  },
  ...HOSTILE_CHECKS,
  {
    name: 'answers 1,000 generated bad batches and 500 hostile requests to every endpoint with a documented 4xx, never a 5xx, stores none of them and stays healthy',
    async run(t) {
      const before = t.adminToken ? await stats(t) : undefined;
      const tally = new Map<string, number>();
      const problems: string[] = [];
      const judge = (name: string, a: Answer, want?: { status: number; code: string; path: string }) => {
        const key = `${a.status} ${a.body?.error?.code ?? '-'}`;
        tally.set(key, (tally.get(key) ?? 0) + 1);
        if (!isDocumentedError(a)) problems.push(`${name}: HTTP ${a.status} ${a.text.slice(0, 120)}`);
        else if (want && (a.status !== want.status || a.body.error.code !== want.code || a.body.error.path !== want.path)) {
          problems.push(`${name}: expected ${want.status} ${want.code} at ${JSON.stringify(want.path)}, got ${a.status} ${a.body.error.code} at ${JSON.stringify(a.body.error.path)}`);
        }
      };
      const failed = (e: Error) => ({ status: 0, headers: new Headers(), body: undefined, text: `${e.message} ${String((e.cause as Error | undefined)?.message ?? '')}` }) as Answer;
      const payloads = badPayloads(1_000, 7);
      for (let i = 0; i < payloads.length; i += 20) {
        await Promise.all(payloads.slice(i, i + 20).map(async (p) => judge(p.name, await postBatch(t, null, { raw: p.raw, contentType: p.contentType, query: p.query }).catch(failed), p.expect)));
      }
      const site = encodeURIComponent(t.site);
      const hostile = hostileRequests(500, 11);
      for (let i = 0; i < hostile.length; i += 20) {
        await Promise.all(
          hostile.slice(i, i + 20).map(async (h) => {
            const body = typeof h.body === 'string' ? h.body.replaceAll('{site}', t.site) : h.body;
            const a = await request(t, h.path.replaceAll('{site}', site), { method: h.method, headers: { 'content-type': 'text/plain' }, ...(body === undefined ? {} : { body: body as BodyInit }) }).catch(failed);
            judge(h.name, a, h.expect);
          }),
        );
      }
      const counts = () => [...tally].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}: ${n}`).join(', ');
      expect(problems.length === 0, `${problems.length} hostile requests were not refused properly (answers: ${counts()}), e.g.:\n    ${problems.slice(0, 6).join('\n    ')}`);
      if (before) {
        const after = await stats(t);
        expect(after.events === before.events && after.consentRecords === before.consentRecords, `the store changed: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
      }
      const healthy = await postBatch(t, envelope({ batch: [trackEvent()] }));
      expect(healthy.status === 200, `after the fuzz a valid batch got ${healthy.status}`);
      return counts();
    },
  },
];
