#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { canManage, isRole, listAgents, removeAgent, ROLES, upsertAgent, type Role } from '../agents.js';
import { packageRoot } from '../lib/package-root.js';
import { SECRET_GRACE_S, Sites, type Site } from '../sites.js';
import type { Store } from '../store/store.js';
import { openEnvStore } from '../server-env.js';

export const USAGE = `Touchpoint operator commands (the store of npm start: .touchpoint/data, or DATABASE_URL)

  touchpoint sites create --name NAME --origin URL [--origin URL…] [--key KEY]
  touchpoint sites list
  touchpoint sites secret show --site KEY
  touchpoint sites secret rotate --site KEY [--grace 24h|30m|0]
  touchpoint sites origins add|remove --site KEY --origin URL
  touchpoint agents add --email EMAIL --name NAME [--role owner|admin|agent] [--password PASSWORD]
  touchpoint agents remove --email EMAIL
  touchpoint agents list

  --json   print the result as JSON (for scripts)

With the embedded store (PGlite) stop the server first: one process at a time
may open its folder. With PostgreSQL the server may keep running; it sees a
change within 5 seconds. docs/deploy.md has the walkthrough.`;

/** A mistake in the command line: printed with the usage, exit code 2. */
class UsageError extends Error {}

/** "24h", "30m", "90s", "0" → seconds. */
export const parseDuration = (v: string): number => {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(v.trim());
  if (!m) throw new UsageError(`--grace: "${v}" is not a duration (e.g. 24h, 30m, 0).`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
};

/** A key from a name: "Acme Shop" → "acme-shop", with a random tail so keys are not guessed from names. */
const keyFrom = (name: string) => `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'site'}-${randomBytes(3).toString('hex')}`;

const publicSite = (s: Site) => ({ key: s.key, name: s.name, allowedOrigins: s.allowedOrigins });

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** An open store (tests); by default the one the environment names. */
  store?: Store;
  /** The clock a rotation's grace period starts from (ms since epoch). */
  now?: () => number;
}

/** Runs one command; resolves with the exit code (0 ok, 1 refused, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        origin: { type: 'string', multiple: true },
        key: { type: 'string' },
        site: { type: 'string' },
        grace: { type: 'string' },
        email: { type: 'string' },
        role: { type: 'string' },
        password: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values: o, positionals: p } = parsed;
  const cmd = p.join(' ');
  if (o.help || !cmd) {
    io.out(USAGE);
    return o.help ? 0 : 2;
  }
  const need = (v: string | undefined, flag: string): string => {
    if (!v) throw new UsageError(`${cmd} needs ${flag}.`);
    return v;
  };
  const print = (json: unknown, text: string) => io.out(o.json ? JSON.stringify(json, null, 2) : text);

  const known = ['sites create', 'sites list', 'sites secret show', 'sites secret rotate', 'sites origins add', 'sites origins remove', 'agents add', 'agents remove', 'agents list'];
  if (!known.includes(cmd)) {
    io.err(`Unknown command "${cmd}".\n\n${USAGE}`);
    return 2;
  }
  let store: Store | undefined;
  try {
    // Arguments first: a typo must not need (or lock) the store.
    if (cmd === 'sites create') need(o.name, '--name');
    if (cmd.startsWith('sites secret') || cmd.startsWith('sites origins')) need(o.site, '--site');
    if (cmd.startsWith('sites origins')) need(o.origin?.[0], '--origin');
    if (cmd === 'agents add' || cmd === 'agents remove') need(o.email, '--email');
    if (cmd === 'agents add') need(o.name, '--name');
    if (o.role !== undefined && !isRole(o.role)) throw new UsageError(`--role: "${o.role}" is not a role (${ROLES.join(', ')}).`);
    const grace = o.grace === undefined ? SECRET_GRACE_S : parseDuration(o.grace);

    store = io.store ?? (await openEnvStore(packageRoot(), io.env ?? process.env));
    const sites = new Sites(store, io.now);
    switch (cmd) {
      case 'sites create': {
        if (!o.origin?.length) throw new UsageError('sites create needs at least one --origin (the site\'s own, e.g. https://shop.example): data from any other origin is refused.');
        const site = await sites.create(o.key ?? keyFrom(o.name!), o.name!, o.origin);
        print({ ...publicSite(site), secret: site.secret }, [
          `Created site "${site.name}".`,
          `  site key:        ${site.key}   (public: goes in the snippet)`,
          `  secret:          ${site.secret}   (private: your backend's TOUCHPOINT_SITE_SECRET, signs userHash)`,
          `  allowed origins: ${site.allowedOrigins.join(' ')}`,
        ].join('\n'));
        return 0;
      }
      case 'sites list': {
        const all = await sites.list();
        print(all.map(publicSite), all.length ? all.map((s) => `${s.key.padEnd(24)} ${s.name.padEnd(24)} ${s.allowedOrigins.join(' ')}`).join('\n') : 'No sites yet: touchpoint sites create --name … --origin …');
        return 0;
      }
      case 'sites secret show': {
        const site = await sites.get(o.site!);
        if (!site) throw new Error(`No site has the key "${o.site}".`);
        print({ key: site.key, secret: site.secret, ...(site.previousSecretUntil ? { previousSecretValidUntil: site.previousSecretUntil } : {}) }, site.secret);
        return 0;
      }
      case 'sites secret rotate': {
        const site = await sites.rotateSecret(o.site!, grace);
        print(
          { key: site.key, secret: site.secret, ...(site.previousSecretUntil ? { previousSecretValidUntil: site.previousSecretUntil } : {}) },
          `${site.secret}\n${site.previousSecretUntil ? `The previous secret still verifies until ${site.previousSecretUntil}: deploy the new one to your backend before then.` : 'The previous secret no longer verifies.'}`,
        );
        return 0;
      }
      case 'sites origins add':
      case 'sites origins remove': {
        let site: Site | undefined;
        for (const origin of o.origin!) site = cmd.endsWith('add') ? await sites.addOrigin(o.site!, origin) : await sites.removeOrigin(o.site!, origin);
        print(publicSite(site!), `Allowed origins of ${site!.key}: ${site!.allowedOrigins.join(' ') || '(none: every browser is refused)'}`);
        return 0;
      }
      case 'agents add': {
        const password = o.password ?? randomBytes(12).toString('base64url');
        const role = (o.role ?? 'agent') as Role;
        await upsertAgent(store, o.email!, password, o.name!, role);
        print(
          { email: o.email!.toLowerCase(), name: o.name, role, ...(o.password ? {} : { password }) },
          `Agent ${o.email!.toLowerCase()} (${role}${canManage(role) ? ': manages sites and agents' : ': answers chats'}).${o.password ? '' : `\n  password: ${password}   (shown once)`}`,
        );
        return 0;
      }
      case 'agents remove': {
        const gone = await removeAgent(store, o.email!);
        if (!gone) throw new Error(`No agent has the email ${o.email}.`);
        print({ removed: o.email!.toLowerCase() }, `Removed ${o.email!.toLowerCase()}.`);
        return 0;
      }
      case 'agents list': {
        const all = await listAgents(store);
        print(all.map(({ email, name, role }) => ({ email, name, role })), all.length ? all.map((a) => `${a.role.padEnd(6)} ${a.email.padEnd(32)} ${a.name}`).join('\n') : 'No agents yet: touchpoint agents add --email … --name … --role owner');
        return 0;
      }
    }
    return 2;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    io.err((e as Error).message);
    return 1;
  } finally {
    if (store && !io.store) await store.close();
  }
}

// Run as a program (also through npm's bin link), not when imported by a test.
const invoked = (() => {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1] ?? '')).href;
  } catch {
    return false;
  }
})();
if (invoked) {
  const code = await runCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) });
  process.exit(code);
}
