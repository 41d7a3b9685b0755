// A throwaway PostgreSQL cluster on a free loopback port, for tests and the
// bench. Uses the machine's PostgreSQL binaries; installs Debian's
// `postgresql` when missing and we are root on Debian. Returns undefined
// (tests that need it are skipped, loudly) when none can be had.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aptInstall } from './apt-install.mjs';

const binDir = () => {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, 'initdb'))) return process.env.PG_BIN;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const v = readdirSync(base).sort((a, b) => Number(b) - Number(a)).find((d) => existsSync(join(base, d, 'bin/initdb')));
  return v && join(base, v, 'bin');
};

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

export const startPostgres = async () => {
  if (process.env.DATABASE_URL_FOR_TESTS) return { url: process.env.DATABASE_URL_FOR_TESTS, stop: async () => {} };
  let bin = binDir();
  const root = process.getuid?.() === 0;
  if (!bin && aptInstall('postgresql', 'PostgreSQL')) bin = binDir();
  if (!bin) {
    console.warn('\n!! PostgreSQL not available: PostgreSQL tests will be skipped. Install it (apt-get install postgresql) or set DATABASE_URL_FOR_TESTS.\n');
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tp-pg-'));
  chmodSync(dir, 0o777);
  const port = await freePort();
  // PostgreSQL refuses to run as root: run it as the `postgres` system user then.
  const as = (cmd, args) => (root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
  const [c1, a1] = as(join(bin, 'initdb'), ['-D', join(dir, 'data'), '-U', 'touchpoint', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  execFileSync(c1, a1, { stdio: 'ignore' });
  const [c2, a2] = as(join(bin, 'postgres'), ['-D', join(dir, 'data'), '-p', String(port), '-k', dir, '-h', '127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200']);
  const proc = spawn(c2, a2, { stdio: 'ignore' });
  const url = `postgres://touchpoint@127.0.0.1:${port}/postgres`;
  const { default: pg } = await import('pg');
  for (let i = 0; ; i++) {
    try {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.end();
      break;
    } catch (e) {
      if (i > 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    async stop() {
      // pg_ctl, not a signal to our child: runuser does not pass signals on.
      const [c3, a3] = as(join(bin, 'pg_ctl'), ['stop', '-D', join(dir, 'data'), '-m', 'immediate', '-s']);
      try {
        execFileSync(c3, a3, { stdio: 'ignore' });
      } catch {
        proc.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
