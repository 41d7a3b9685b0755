import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { until } from '../support/until.js';

// The built server and CLI as an operator runs them (npm test builds dist/ first).
const root = resolve(import.meta.dirname, '../..');
const main = resolve(root, 'server/dist/js/main.js');
const cli = resolve(root, 'server/dist/js/cli/touchpoint.js');

describe('NODE_ENV=production', () => {
  it('refuses to start without an owner, says how to make one; with the owner from the CLI it starts with no demo site and Secure cookies', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tp-prod-'));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const env = { ...process.env, NODE_ENV: 'production', TOUCHPOINT_DATA_DIR: join(dir, 'data'), PORT: String(port), DATABASE_URL: '', TOUCHPOINT_AGENTS: '', LOG_LEVEL: 'warn' };
    try {
      const refused = spawnSync('node', [main], { env, encoding: 'utf8', timeout: 60_000 });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('no owner yet');
      expect(refused.stderr).toContain('npx touchpoint agents add');

      const owner = spawnSync('node', [cli, 'agents', 'add', '--email', 'owner@prod.test', '--name', 'Owner', '--role', 'owner', '--password', 'a-long-owner-password', '--json'], { env, encoding: 'utf8', timeout: 60_000 });
      expect(owner.status, owner.stderr).toBe(0);
      const server = spawn('node', [main], { env, stdio: 'pipe' });
      try {
        const base = `http://127.0.0.1:${port}`;
        await until(async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.ok === true, 60_000);
        // No demo site, no demo key.
        expect((await fetch(`${base}/`)).status).toBe(404);
        expect((await fetch(`${base}/v1/sites/demo/config`)).status).toBe(404);
        const login = await fetch(`${base}/v1/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@prod.test', password: 'a-long-owner-password' }) });
        expect(login.status).toBe(200);
        expect(login.headers.get('set-cookie')).toMatch(/; Secure(;|$)/);
        // While it runs, the embedded store is its own: the CLI refuses, saying why.
        const busy = spawnSync('node', [cli, 'sites', 'list'], { env, encoding: 'utf8', timeout: 60_000 });
        expect(busy.status).toBe(1);
        expect(busy.stderr).toContain('is in use by process');
      } finally {
        server.kill('SIGTERM');
        await new Promise((r) => server.once('exit', r));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
