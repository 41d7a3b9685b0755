import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../server/cli/touchpoint.js';
import { hmacHex } from '../../server/lib/hmac.js';
import { holdDataDir } from '../../server/server-env.js';
import { login } from '../../server/agents.js';
import { startServer, type TestServer } from '../support/start-server.js';
import { STORES } from '../support/stores.js';
import { testClock } from '../support/clock.js';

/** Runs `touchpoint …` on the server's own store; resolves with its exit code and what it printed. */
const cli = async (s: TestServer, line: string[], now?: () => number) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(line, { out: (l) => out.push(l), err: (l) => err.push(l), store: s.store, now });
  return { code, out: out.join('\n'), err: err.join('\n'), json: () => JSON.parse(out.join('\n')) };
};

describe.each(STORES)('the operator commands on $name', ({ databaseUrl }) => {
  const clock = testClock('2026-12-01T10:00:00.000Z');
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ databaseUrl: await databaseUrl(), now: clock });
  });
  afterAll(() => s.close());

  /** What the server answers a browser on `origin` asking for a verified visitor token. */
  const verify = (site: string, userHash: string, origin = 'https://shop.example') =>
    s.app.inject({
      method: 'POST',
      url: '/v1/visitor',
      headers: { 'content-type': 'text/plain', origin },
      payload: JSON.stringify({ protocol: 1, siteKey: site, anonymousId: 'anon-cli', userId: 'user-7', userHash }),
    });

  it('creates a site for its origin, with a secret the site owner can read back, that makes userHash verify', async () => {
    const created = await cli(s, ['sites', 'create', '--name', 'Acme Shop', '--origin', 'https://shop.example', '--json']);
    expect(created.code).toBe(0);
    const site = created.json();
    expect(site).toMatchObject({ name: 'Acme Shop', allowedOrigins: ['https://shop.example'] });
    expect(site.key).toMatch(/^acme-shop-[0-9a-f]{6}$/);
    expect(site.secret).toMatch(/^[0-9a-f]{64}$/);
    const shown = (await cli(s, ['sites', 'secret', 'show', '--site', site.key])).out;
    expect(shown).toBe(site.secret);
    const answer = await verify(site.key, hmacHex(shown, 'user-7'));
    expect(answer.json(), answer.body).toMatchObject({ verified: true });
    // Only its origin: another one is refused, as docs/protocol.md says.
    expect((await verify(site.key, hmacHex(shown, 'user-7'), 'https://evil.example')).json().error.code).toBe('origin_not_allowed');
    const list = (await cli(s, ['sites', 'list', '--json'])).json();
    expect(list).toContainEqual({ key: site.key, name: 'Acme Shop', allowedOrigins: ['https://shop.example'] });
    // The list never prints secrets.
    expect(JSON.stringify(list)).not.toContain(site.secret);
  });

  it('rotates the secret with a grace period: the old one verifies until it ends, then only the new one', async () => {
    const { key, secret: old } = (await cli(s, ['sites', 'create', '--name', 'Rotating', '--key', 'rotating', '--origin', 'https://shop.example', '--json'])).json();
    const rotated = (await cli(s, ['sites', 'secret', 'rotate', '--site', key, '--grace', '2h', '--json'], clock)).json();
    expect(rotated.secret).not.toBe(old);
    expect(rotated.previousSecretValidUntil).toBe(clock.iso(2 * 3600_000));
    s.app.deps.sites['cache'].clear();
    expect((await verify(key, hmacHex(old, 'user-7'))).json()).toMatchObject({ verified: true });
    expect((await verify(key, hmacHex(rotated.secret, 'user-7'))).json()).toMatchObject({ verified: true });
    clock.advance(2 * 3600_000 + 1);
    s.app.deps.sites['cache'].clear();
    const late = await verify(key, hmacHex(old, 'user-7'));
    expect(late.statusCode, late.body).toBe(403);
    expect(late.json().error.code).toBe('invalid_user_hash');
    expect((await verify(key, hmacHex(rotated.secret, 'user-7'))).json()).toMatchObject({ verified: true });
    // A leaked secret: --grace 0 ends it at once.
    const leaked = (await cli(s, ['sites', 'secret', 'rotate', '--site', key, '--grace', '0', '--json'], clock)).json();
    expect(leaked.previousSecretValidUntil).toBeUndefined();
    // (The server's site cache would see it within 5 s; the test does not wait.)
    s.app.deps.sites['cache'].clear();
    expect((await verify(key, hmacHex(rotated.secret, 'user-7'))).json().error.code).toBe('invalid_user_hash');
  });

  it('adds and removes allowed origins, and refuses what is not an origin with the reason', async () => {
    await cli(s, ['sites', 'create', '--name', 'Origins', '--key', 'origins', '--origin', 'https://shop.example']);
    expect((await cli(s, ['sites', 'origins', 'add', '--site', 'origins', '--origin', 'https://www.shop.example', '--json'])).json().allowedOrigins).toEqual([
      'https://shop.example',
      'https://www.shop.example',
    ]);
    expect((await cli(s, ['sites', 'origins', 'remove', '--site', 'origins', '--origin', 'https://shop.example', '--json'])).json().allowedOrigins).toEqual([
      'https://www.shop.example',
    ]);
    for (const bad of ['shop.example', 'https://shop.example/', 'https://shop.example/path', 'ftp://shop.example']) {
      const r = await cli(s, ['sites', 'origins', 'add', '--site', 'origins', '--origin', bad]);
      expect(r.code, bad).toBe(1);
      expect(r.err, bad).toContain('is not an origin');
    }
    expect((await s.app.deps.sites.list()).find((x) => x.key === 'origins')!.allowedOrigins).toEqual(['https://www.shop.example']);
    expect((await cli(s, ['sites', 'origins', 'add', '--site', 'nope', '--origin', 'https://a.example'])).err).toContain('No site has the key "nope"');
  });

  it('refuses a site without an origin, a taken key and an unknown command, each with the reason and no change', async () => {
    const before = (await s.app.deps.sites.list()).length;
    const noOrigin = await cli(s, ['sites', 'create', '--name', 'Nowhere']);
    expect(noOrigin.code).toBe(2);
    expect(noOrigin.err).toContain('needs at least one --origin');
    const taken = await cli(s, ['sites', 'create', '--name', 'Again', '--key', 'origins', '--origin', 'https://a.example']);
    expect(taken.code).toBe(1);
    expect(taken.err).toContain('exists already');
    expect((await cli(s, ['sites', 'delete'])).code).toBe(2);
    expect((await cli(s, ['sites', 'create', '--name', 'Bad key', '--key', 'no spaces', '--origin', 'https://a.example'])).err).toContain('is not a site key');
    expect((await s.app.deps.sites.list()).length).toBe(before);
  });

  it('adds agents with roles, lists them owners first, and never removes the last owner', async () => {
    const owner = (await cli(s, ['agents', 'add', '--email', 'Owner@Shop.example', '--name', 'Olga', '--role', 'owner', '--json'])).json();
    expect(owner).toMatchObject({ email: 'owner@shop.example', role: 'owner' });
    expect(await login(s.store, 'owner@shop.example', owner.password)).toMatchObject({ role: 'owner' });
    await cli(s, ['agents', 'add', '--email', 'agent@shop.example', '--name', 'Ari', '--password', 'correct horse']);
    expect(await login(s.store, 'agent@shop.example', 'correct horse')).toMatchObject({ role: 'agent' });
    expect((await cli(s, ['agents', 'add', '--email', 'x@shop.example', '--name', 'X', '--role', 'boss'])).err).toContain('is not a role');
    const list = (await cli(s, ['agents', 'list', '--json'])).json() as { email: string; role: string }[];
    expect(list.filter((a) => a.email.endsWith('@shop.example')).map((a) => [a.role, a.email])).toEqual([
      ['owner', 'owner@shop.example'],
      ['agent', 'agent@shop.example'],
    ]);
    const last = await cli(s, ['agents', 'remove', '--email', 'owner@shop.example']);
    expect(last.code).toBe(1);
    expect(last.err).toContain('last owner');
    expect((await cli(s, ['agents', 'remove', '--email', 'agent@shop.example'])).code).toBe(0);
    expect(await login(s.store, 'agent@shop.example', 'correct horse')).toBeUndefined();
  });
});

describe('the embedded store folder', () => {
  it('is opened by one process at a time: a command refuses while another holds it, and says which; a stale lock is no obstacle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-cli-'));
    const data = join(dir, 'data');
    const run = async () => {
      const err: string[] = [];
      const code = await runCli(['sites', 'list'], { out: () => {}, err: (l) => err.push(l), env: { TOUCHPOINT_DATA_DIR: data } });
      return { code, err: err.join('\n') };
    };
    try {
      // The test runner's own parent stands in for a running server.
      writeFileSync(`${data}.lock`, String(process.ppid));
      expect(await run()).toEqual({ code: 1, err: expect.stringContaining(`in use by process ${process.ppid}`) });
      const gone = spawnSync('true').pid!;
      writeFileSync(`${data}.lock`, String(gone));
      expect((await run()).code).toBe(0);
      // Released when the command is done.
      expect(existsSync(`${data}.lock`)).toBe(false);
      const release = holdDataDir(data);
      expect(readFileSync(`${data}.lock`, 'utf8')).toBe(String(process.pid));
      release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
