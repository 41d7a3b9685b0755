import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { LIMITS } from 'touchpoint/protocol';
import sharp from 'sharp';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { testClock } from '../support/clock.js';
import { agent, visitor } from '../support/chat-client.js';
import { ensureAgents } from '../../server/agents.js';
import { applyRetention, DEFAULT_RETENTION } from '../../server/privacy/retention.js';
import { referencedHashes } from '../../server/repositories/chat-attachments.js';
import { FileRejected } from '../../server/attachments/accept-upload.js';

/** A real 1×1 PNG and the first bytes of a PDF: what the server's sniffer recognises. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const HTML = Buffer.from('<html><script>alert(document.cookie)</script></html>');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each(STORES)('chat attachments on $name', ({ databaseUrl }) => {
  const clock = testClock('2026-12-01T10:00:00.000Z');
  let s: TestServer;
  let owner: Awaited<ReturnType<typeof agent>>;
  let ada: Awaited<ReturnType<typeof visitor>>;
  let eve: Awaited<ReturnType<typeof visitor>>;
  let adaConv: string;
  let eveConv: string;

  const upload = (token: string, conv: string, bytes: Buffer, type: string, o: { clientId?: string; name?: string } = {}) =>
    fetch(`${s.url}/v1/chat/conversations/${conv}/attachments?site=demo&token=${encodeURIComponent(token)}&clientId=${o.clientId ?? `c-${Math.random()}`}&name=${o.name ?? 'photo.png'}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: new Uint8Array(bytes),
    });
  /**
   * Sends an upload's headers, declaring `length` bytes, and only its first bytes: resolves with the
   * answer, which must come without the rest of the body (the server refused it from the headers).
   */
  const answerBeforeBody = (path: string, headers: Record<string, string>, length = 1_000_000) =>
    new Promise<{ status: number; code: string }>((resolve, reject) => {
      const req = request(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'image/png', 'content-length': String(length), ...headers } });
      const deadline = setTimeout(() => {
        req.destroy();
        reject(new Error(`no answer to ${path} while its body was unsent`));
      }, 10_000);
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c));
        res.on('end', () => {
          clearTimeout(deadline);
          req.destroy();
          resolve({ status: res.statusCode!, code: JSON.parse(text).error?.code });
        });
      });
      req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
      req.write(PNG);
    });
  const read = (token: string, conv: string, seq: number, index = 0) => fetch(`${s.url}/v1/chat/conversations/${conv}/attachments/${seq}/${index}?site=demo&token=${encodeURIComponent(token)}`);
  const files = () => readdirSync(s.app.deps.files.dir).flatMap((d) => readdirSync(join(s.app.deps.files.dir, d)));
  const rows = async (conv: string) => (await s.store.query<{ n: number }>('SELECT count(*)::int AS n FROM chat_attachments WHERE conversation_id = $1', [conv])).rows[0]!.n;

  beforeAll(async () => {
    s = await startServer({ databaseUrl: await databaseUrl(), now: clock });
    const creds = (await ensureAgents(s.store, ''))!;
    owner = await agent(s.url, creds.email, creds.password);
    ada = await visitor(s.url, 'att-ada');
    eve = await visitor(s.url, 'att-eve');
    adaConv = (await ada.start('att-ada-conv', 'I have a picture of the damage')).body.conversation.id;
    eveConv = (await eve.start('att-eve-conv', 'hello')).body.conversation.id;
  }, 60_000);
  afterAll(() => s?.close());

  it('takes a visitor\'s image into their conversation, stores it once by its hash and serves it to them and to agents, sandboxed', async () => {
    const r = await upload(ada.token, adaConv, PNG, 'image/png', { clientId: 'ada-img-1', name: 'damage.png' });
    expect(r.status, await r.clone().text()).toBe(200);
    const { events } = await r.json();
    const msg = events[0];
    expect(msg).toMatchObject({ kind: 'message', author: { kind: 'visitor' }, clientId: 'ada-img-1', data: { attachments: [{ filename: 'damage.png', contentType: 'image/png', size: PNG.length }] } });
    expect(msg.body).toBeUndefined();
    expect(existsSync(s.app.deps.files.path(sha(PNG)))).toBe(true);

    const got = await read(ada.token, adaConv, msg.seq);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(PNG)).toBe(true);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('content-disposition')).toBe(`inline; filename="damage.png"; filename*=UTF-8''damage.png`);
    expect(got.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');

    const asAgent = await fetch(`${s.url}/v1/agent/conversations/${adaConv}/attachments/${msg.seq}/0`, { headers: { cookie: owner.cookie } });
    expect(asAgent.status).toBe(200);
    expect(Buffer.from(await asAgent.arrayBuffer()).equals(PNG)).toBe(true);
    expect(asAgent.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    // The agent's transcript has the message with its file; the visitor's history too.
    const transcript = await (await fetch(`${s.url}/v1/agent/conversations/${adaConv}`, { headers: { cookie: owner.cookie } })).json();
    expect(transcript.events.find((e: { seq: number }) => e.seq === msg.seq).data.attachments[0].filename).toBe('damage.png');
  });

  it('makes a thumbnail of a photo — upright, at most 320 px, WebP without its metadata — serves it sandboxed to the visitor and agents only, and removes it with the file', async () => {
    // A 1200×800 photo a phone took on its side (EXIF orientation 6: shown 800×1200), with its metadata.
    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#c33' } }).jpeg().withMetadata({ orientation: 6, exif: { IFD0: { Copyright: 'Ada' } } }).toBuffer();
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const r = await upload(ada.token, adaConv, photo, 'image/jpeg', { name: 'side.jpg' });
    expect(r.status, await r.clone().text()).toBe(200);
    const msg = (await r.json()).events[0];
    expect(msg.data.attachments[0]).toEqual({ filename: 'side.jpg', contentType: 'image/jpeg', size: photo.length, thumbnail: { width: 213, height: 320 } });
    const thumbPath = `${s.app.deps.files.path(sha(photo))}.thumb`;
    expect(existsSync(thumbPath)).toBe(true);

    const url = `/v1/chat/conversations/${adaConv}/attachments/${msg.seq}/0/thumbnail`;
    const got = await fetch(`${s.url}${url}?site=demo&token=${encodeURIComponent(ada.token)}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/webp');
    expect(got.headers.get('content-disposition')).toBe(`inline; filename="side-thumbnail.webp"; filename*=UTF-8''side-thumbnail.webp`);
    expect(got.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    const meta = await sharp(Buffer.from(await got.arrayBuffer())).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height, exif: meta.exif }).toEqual({ format: 'webp', width: 213, height: 320, exif: undefined });
    const asAgent = await fetch(`${s.url}/v1/agent/conversations/${adaConv}/attachments/${msg.seq}/0/thumbnail`, { headers: { cookie: owner.cookie } });
    expect(asAgent.status).toBe(200);
    expect(asAgent.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    // Eve, a stranger, and no agent: refused as for the file itself.
    expect((await fetch(`${s.url}${url}?site=demo&token=${encodeURIComponent(eve.token)}`)).status).toBe(404);
    expect((await fetch(`${s.url}${url}?site=demo`)).status).toBe(401);
    expect((await fetch(`${s.url}/v1/agent/conversations/${adaConv}/attachments/${msg.seq}/0/thumbnail`)).status).toBe(401);
    // A small image gets one too (its pixels re-encoded), never enlarged.
    const small = (await (await upload(ada.token, adaConv, PNG, 'image/png')).json()).events[0];
    expect(small.data.attachments[0].thumbnail).toEqual({ width: 1, height: 1 });

    // The file goes, its thumbnail with it; a thumbnail left without its file is swept.
    await s.app.deps.files.remove([sha(photo)], async () => new Set());
    expect(existsSync(thumbPath)).toBe(false);
    await s.app.deps.files.putThumbnail(sha(photo), Buffer.from('left behind'));
    expect(await s.app.deps.files.sweep(async (shas) => new Set(shas), 0)).toBe(1);
    expect(existsSync(thumbPath)).toBe(false);
  });

  it('makes no thumbnail of a PDF or of an image that does not decode, and takes the file all the same', async () => {
    const pdf = (await (await upload(ada.token, adaConv, PDF, 'application/pdf', { name: 'a.pdf' })).json()).events[0];
    expect(pdf.data.attachments[0].thumbnail).toBeUndefined();
    expect((await fetch(`${s.url}/v1/chat/conversations/${adaConv}/attachments/${pdf.seq}/0/thumbnail?site=demo&token=${encodeURIComponent(ada.token)}`)).status).toBe(404);
    // A PNG cut after its header: sniffed as PNG, undecodable. And one that claims 30 000 × 30 000 pixels (a decompression bomb).
    const bomb = Buffer.from(PNG);
    bomb.writeUInt32BE(30_000, 16);
    bomb.writeUInt32BE(30_000, 20);
    for (const [what, bytes] of [['a truncated PNG', PNG.subarray(0, 40)], ['a PNG claiming 900 MP', bomb]] as const) {
      const r = await upload(ada.token, adaConv, bytes, 'image/png', { name: 'broken.png' });
      expect(r.status, what).toBe(200);
      expect((await r.json()).events[0].data.attachments[0].thumbnail, what).toBeUndefined();
    }
  });

  it('posts a retried upload once, and writes the same bytes sent twice as one file', async () => {
    const before = files().length;
    const a = await (await upload(ada.token, adaConv, PNG, 'image/png', { clientId: 'ada-img-2' })).json();
    const b = await (await upload(ada.token, adaConv, PNG, 'image/png', { clientId: 'ada-img-2' })).json();
    expect(b.events[0].seq).toBe(a.events[0].seq);
    expect((await s.store.query('SELECT 1 FROM chat_attachments WHERE conversation_id = $1 AND seq = $2', [adaConv, a.events[0].seq])).rows).toHaveLength(1);
    expect(files().length).toBe(before);
  });

  it('serves a PDF as a download, never inline', async () => {
    const r = await upload(ada.token, adaConv, PDF, 'application/pdf', { name: 'invoice.pdf' });
    expect(r.status).toBe(200);
    const { events } = await r.json();
    const got = await read(ada.token, adaConv, events[0].seq);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toMatch(/^attachment; filename="invoice.pdf"/);
  });

  it('lets an agent send a file from the console, which the visitor then reads, and opens the conversation', async () => {
    const r = await fetch(`${s.url}/v1/agent/conversations/${adaConv}/attachments?clientId=agent-img-1&name=${encodeURIComponent('label ✓.png')}`, { method: 'POST', headers: { cookie: owner.cookie, 'content-type': 'image/png' }, body: new Uint8Array(PNG) });
    expect(r.status, await r.clone().text()).toBe(200);
    const { events } = await r.json();
    expect(events[0]).toMatchObject({ author: { kind: 'agent' }, data: { attachments: [{ filename: 'label ✓.png', contentType: 'image/png' }] } });
    expect(events.some((e: { kind: string; data?: { status?: string } }) => e.kind === 'status' && e.data?.status === 'open')).toBe(true);
    const got = await read(ada.token, adaConv, events[0].seq);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toContain(`filename*=UTF-8''label%20%E2%9C%93.png`);
    // Not signed in: 401, before the body is looked at.
    expect((await fetch(`${s.url}/v1/agent/conversations/${adaConv}/attachments?clientId=x&name=a.png`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: new Uint8Array(PNG) })).status).toBe(401);
  });

  it('refuses an agent\'s file for a bridged conversation with no mail account, which could never reach the customer, and stores nothing', async () => {
    const v = await visitor(s.url, 'att-mail');
    const conv = (await v.start('att-mail-conv', 'by mail')).body.conversation.id;
    await s.store.query("UPDATE conversations SET channel = 'email' WHERE id = $1", [conv]);
    const r = await fetch(`${s.url}/v1/agent/conversations/${conv}/attachments?clientId=agent-mail-1&name=a.png`, { method: 'POST', headers: { cookie: owner.cookie, 'content-type': 'image/png' }, body: new Uint8Array(PNG) });
    expect(r.status).toBe(403);
    expect((await r.json()).error.message).toMatch(/web chat and by e-mail only; this conversation is email/);
    expect(await rows(conv)).toBe(0);
  });

  it('keeps a visitor to their own conversation and their own files', async () => {
    const { events } = await (await upload(ada.token, adaConv, PNG, 'image/png')).json();
    const seq = events[0].seq;
    const before = await rows(eveConv);
    // Eve uploads into Ada's conversation, or reads Ada's file: "not found", as if it did not exist.
    expect((await upload(eve.token, adaConv, PNG, 'image/png')).status).toBe(404);
    expect((await read(eve.token, adaConv, seq)).status).toBe(404);
    // An altered token, or none.
    const forged = ada.token.slice(0, -3) + (ada.token.endsWith('a') ? 'bbb' : 'aaa');
    expect((await upload(forged, adaConv, PNG, 'image/png')).status).toBe(401);
    expect((await read(forged, adaConv, seq)).status).toBe(401);
    expect((await fetch(`${s.url}/v1/chat/conversations/${adaConv}/attachments/${seq}/0?site=demo`)).status).toBe(401);
    // A seq or index with no file, and hostile path values: 404 or 400, never a 500.
    expect((await read(ada.token, adaConv, seq, 1)).status).toBe(404);
    expect((await read(ada.token, adaConv, 1)).status).toBe(404);
    for (const p of ['constructor/0', '1e3/0', '-1/0', `${seq}/__proto__`, `${seq}/%00`]) {
      const st = (await fetch(`${s.url}/v1/chat/conversations/${adaConv}/attachments/${p}?site=demo&token=${encodeURIComponent(ada.token)}`)).status;
      expect(st, p).toBeGreaterThanOrEqual(400);
      expect(st, p).toBeLessThan(500);
    }
    expect(await rows(eveConv)).toBe(before);
  });

  it('refuses an upload with a bad token, to someone else\'s conversation, or to a conversation that cannot take files, before reading its body', async () => {
    const q = (token: string, conv: string) => `/v1/chat/conversations/${conv}/attachments?site=demo&token=${encodeURIComponent(token)}&clientId=early-1&name=a.png`;
    const forged = ada.token.slice(0, -3) + (ada.token.endsWith('a') ? 'bbb' : 'aaa');
    const mail = await visitor(s.url, 'att-early-mail');
    const mailConv = (await mail.start('att-early-mail-conv', 'by mail')).body.conversation.id;
    await s.store.query("UPDATE conversations SET channel = 'email' WHERE id = $1", [mailConv]);
    const agentUpload = (conv: string) => `/v1/agent/conversations/${conv}/attachments?clientId=early-2&name=a.png`;
    const before = await rows(adaConv);
    const cases: [string, Promise<{ status: number; code: string }>, number, string][] = [
      ['a forged visitor token', answerBeforeBody(q(forged, adaConv), {}), 401, 'invalid_token'],
      ['Eve into Ada\'s conversation', answerBeforeBody(q(eve.token, adaConv), {}), 404, 'not_found'],
      ['a conversation that does not exist', answerBeforeBody(q(ada.token, 'no-such-conversation'), {}), 404, 'not_found'],
      ['a visitor upload with no clientId', answerBeforeBody(`/v1/chat/conversations/${adaConv}/attachments?site=demo&token=${encodeURIComponent(ada.token)}&name=a.png`, {}), 400, 'invalid_body'],
      ['an agent not signed in', answerBeforeBody(agentUpload(adaConv), {}), 401, 'unauthorized'],
      ['an agent into a conversation that does not exist', answerBeforeBody(agentUpload('no-such-conversation'), { cookie: owner.cookie }), 404, 'not_found'],
      ['an agent into a bridged conversation without a mail account', answerBeforeBody(agentUpload(mailConv), { cookie: owner.cookie }), 403, 'forbidden'],
    ];
    for (const [what, answer, status, code] of cases) expect(await answer, what).toEqual({ status, code });
    expect(await rows(adaConv)).toBe(before);
    expect(await rows(mailConv)).toBe(0);
  });

  it('refuses an upload whose Content-Length is over 10 MiB whoever sends it, and keeps none of it', async () => {
    const filesBefore = files().length;
    const tooBig = String(LIMITS.attachmentBytes + 1);
    for (const [what, r] of [
      ['the visitor', await upload(ada.token, adaConv, Buffer.alloc(LIMITS.attachmentBytes + 1, 1), 'image/png')],
      ['an agent', await fetch(`${s.url}/v1/agent/conversations/${adaConv}/attachments?clientId=big-1&name=a.png`, { method: 'POST', headers: { cookie: owner.cookie, 'content-type': 'image/png' }, body: new Uint8Array(Buffer.alloc(LIMITS.attachmentBytes + 1, 1)) })],
    ] as const) {
      expect(r.status, what).toBe(413);
      expect((await r.json()).error.message, what).toContain(tooBig);
    }
    expect(files().length).toBe(filesBefore);
  });

  it('refuses what is not an image or a PDF, a lying type, an empty or oversized body and a name that cannot be stored — writing nothing', async () => {
    const rowsBefore = await rows(adaConv);
    const filesBefore = files().length;
    const events = async () => (await (await ada.events(adaConv)).body).events.length;
    const eventsBefore = await events();
    const cases: [string, Response, number, string][] = [
      ['HTML claiming image/png', await upload(ada.token, adaConv, HTML, 'image/png'), 415, 'unsupported_media_type'],
      ['a PDF declared as image/png', await upload(ada.token, adaConv, PDF, 'image/png'), 415, 'unsupported_media_type'],
      ['HTML as text/html', await upload(ada.token, adaConv, HTML, 'text/html'), 415, 'unsupported_media_type'],
      ['a PNG as text/plain', await upload(ada.token, adaConv, PNG, 'text/plain'), 415, 'unsupported_media_type'],
      ['a zero-byte file', await upload(ada.token, adaConv, Buffer.alloc(0), 'image/png'), 400, 'invalid_body'],
      ['one byte over the limit', await upload(ada.token, adaConv, Buffer.concat([PNG, Buffer.alloc(LIMITS.attachmentBytes)]), 'image/png'), 413, 'payload_too_large'],
      ['a NUL in the name', await upload(ada.token, adaConv, PNG, 'image/png', { name: 'a%00.png' }), 400, 'invalid_body'],
      ['only control characters as the name', await upload(ada.token, adaConv, PNG, 'image/png', { name: '%E2%80%AE%01' }), 400, 'invalid_body'],
      ['no name', await upload(ada.token, adaConv, PNG, 'image/png', { name: '' }), 400, 'invalid_body'],
    ];
    for (const [what, r, status, code] of cases) {
      expect(r.status, what).toBe(status);
      expect((await r.json()).error.code, what).toBe(code);
    }
    expect(await rows(adaConv)).toBe(rowsBefore);
    expect(files().length).toBe(filesBefore);
    expect(await events()).toBe(eventsBefore);
  });

  it('keeps a name with a lone surrogate\'s bytes (not UTF-8, so the URL cannot decode it) as the text it came as: never a broken string', async () => {
    const r = await upload(ada.token, adaConv, PNG, 'image/png', { name: '%ED%A0%80.png' });
    expect(r.status).toBe(200);
    expect((await r.json()).events[0].data.attachments[0].filename).toBe('%ED%A0%80.png');
  });

  it('strips direction overrides from a name, so "invoice_\u202efdp.png" cannot pose as another file', async () => {
    const r = await upload(ada.token, adaConv, PNG, 'image/png', { name: encodeURIComponent('invoice_\u202efdp.png') });
    expect((await r.json()).events[0].data.attachments[0].filename).toBe('invoice_fdp.png');
  });

  it('asks the virus-scan hook before accepting a file: a refusal is 422, a scanner down 503, and neither writes anything', async () => {
    const bytes = Buffer.concat([PNG, Buffer.from('scan-me')]);
    const filesBefore = files().length;
    s.app.deps.scan = async () => {
      throw new FileRejected('EICAR test signature');
    };
    const refused = await upload(ada.token, adaConv, bytes, 'image/png');
    expect(refused.status).toBe(422);
    expect((await refused.json()).error.code).toBe('file_rejected');
    s.app.deps.scan = async () => {
      throw new Error('clamd is not running');
    };
    const down = await upload(ada.token, adaConv, bytes, 'image/png');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('30');
    let seen: { filename: string; contentType: string } | undefined;
    s.app.deps.scan = async (_b, o) => void (seen = o);
    expect((await upload(ada.token, adaConv, bytes, 'image/png', { name: 'ok.png' })).status).toBe(200);
    expect(seen).toEqual({ filename: 'ok.png', contentType: 'image/png' });
    s.app.deps.scan = undefined;
    // The file accepted, and its thumbnail.
    expect(files().length).toBe(filesBefore + 2);
  });

  it('erases a customer\'s files with their data, but keeps bytes another customer sent too', async () => {
    const mine = Buffer.concat([PNG, Buffer.from('only-ada')]);
    const shared = Buffer.concat([PNG, Buffer.from('both')]);
    const gone = await visitor(s.url, 'att-gone');
    const conv = (await gone.start('att-gone-conv', 'erase me later')).body.conversation.id;
    expect((await upload(gone.token, conv, mine, 'image/png')).status).toBe(200);
    expect((await upload(gone.token, conv, shared, 'image/png')).status).toBe(200);
    expect((await upload(eve.token, eveConv, shared, 'image/png')).status).toBe(200);
    const r = await fetch(`${s.url}/v1/agent/sites/demo/customers/att-gone`, { method: 'DELETE', headers: { cookie: owner.cookie } });
    expect(r.status, await r.clone().text()).toBe(200);
    expect((await r.json()).counts.chat_attachments).toBe(2);
    expect(await rows(conv)).toBe(0);
    expect(existsSync(s.app.deps.files.path(sha(mine)))).toBe(false);
    expect(existsSync(`${s.app.deps.files.path(sha(mine))}.thumb`)).toBe(false);
    expect(existsSync(s.app.deps.files.path(sha(shared)))).toBe(true);
    expect(existsSync(`${s.app.deps.files.path(sha(shared))}.thumb`)).toBe(true);
    const eveMsg = (await (await eve.events(eveConv)).body).events.filter((e: { data?: { attachments?: unknown } }) => e.data?.attachments).at(-1);
    expect((await read(eve.token, eveConv, eveMsg.seq)).status).toBe(200);
  });

  it('keeps a file whose row an upload committed while an erasure was removing it', async () => {
    const bytes = Buffer.concat([PNG, Buffer.from('raced')]);
    const hash = await s.app.deps.files.put(bytes);
    // The erasure's first look finds no row; the upload of the same bytes commits its row before the file is gone.
    let looks = 0;
    const referenced = async (shas: string[]) => (++looks === 1 ? new Set<string>() : new Set(shas));
    expect(await s.app.deps.files.remove([hash], referenced)).toBe(0);
    expect(looks).toBe(2);
    expect((await s.app.deps.files.read(hash))?.equals(bytes)).toBe(true);
    // No row at either look: it goes.
    expect(await s.app.deps.files.remove([hash], async () => new Set())).toBe(1);
    expect(await s.app.deps.files.has(hash)).toBe(false);
  });

  it('deletes a conversation\'s files with it when retention removes it, and sweeps orphans of failed uploads', async () => {
    const old = Buffer.concat([PNG, Buffer.from('old')]);
    const v = await visitor(s.url, 'att-old');
    const conv = (await v.start('att-old-conv', 'long ago')).body.conversation.id;
    expect((await upload(v.token, conv, old, 'image/png')).status).toBe(200);
    // Two years and a day later, every other conversation kept active meanwhile.
    const later = Date.parse(clock.iso()) + (DEFAULT_RETENTION.conversationsDays + 1) * 86_400_000;
    await s.store.query('UPDATE conversations SET updated_at = $2 WHERE id <> $1', [conv, new Date(later).toISOString()]);
    const deleted = await applyRetention(s.store, 'demo', DEFAULT_RETENTION, later);
    expect(deleted.conversationsDays).toBe(1);
    expect(await rows(conv)).toBe(0);
    const referenced = (shas: string[]) => referencedHashes(s.store, shas);
    // Within the grace period a file may be an upload whose row is being written: kept.
    expect(await s.app.deps.files.sweep(referenced)).toBe(0);
    expect(existsSync(s.app.deps.files.path(sha(old)))).toBe(true);
    // An orphan written by an upload whose transaction failed, and the old file, go once the grace period is over.
    const orphan = await s.app.deps.files.put(Buffer.concat([PNG, Buffer.from('orphan')]));
    expect(await s.app.deps.files.sweep(referenced, 0)).toBe(2);
    expect(existsSync(s.app.deps.files.path(orphan))).toBe(false);
    expect(existsSync(s.app.deps.files.path(sha(old)))).toBe(false);
    // Everyone else's files stay.
    expect(existsSync(s.app.deps.files.path(sha(PNG)))).toBe(true);
    expect(statSync(s.app.deps.files.path(sha(PDF))).size).toBe(PDF.length);
  });
});
