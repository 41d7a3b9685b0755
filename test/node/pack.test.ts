import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

// What `npm publish` would upload, read from `npm pack --dry-run --json` of the built tree (npm test builds first):
// the SDK (`touchpoint`, the root) and the server (`@touchpoint/server`, the workspace in server/).
const root = resolve(import.meta.dirname, '../..');
interface Packed {
  name: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}
const pack = (dir: string): Packed => (JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 })) as Packed[])[0]!;
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, any>;
/** Every file path an `exports` map names (conditions and nested conditions included). */
const targets = (v: unknown): string[] => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(targets) : []);
const rel = (p: string) => p.replace(/^\.\//, '');
const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

describe('the touchpoint package (the SDK, its elements and framework bindings)', () => {
  const pkg = manifest(root);
  const packed = pack(root);
  const files = new Set(packed.files.map((f) => f.path));

  it('holds every file its exports, main and types name, its custom-elements.json and the LICENSE', () => {
    const named = [...targets(pkg.exports), pkg.main, pkg.types, pkg.customElements].map(rel);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((f) => !files.has(f))).toEqual([]);
    for (const f of ['LICENSE', 'README.md', 'package.json', 'custom-elements.json', 'dist/cdn/touchpoint.js', 'dist/cdn/snippet.min.js']) expect(files, f).toContain(f);
  });

  it('leaves out the doc screenshots, the server, the sources of the tests and the intermediate build', () => {
    const unwanted = [...files].filter((f) => /^(docs\/img|server|src|components|examples|bench|scripts|dist\/js|\.tmp|\.touchpoint)\/|(^|\/)test\//.test(f));
    expect(unwanted).toEqual([]);
    expect([...files].filter((f) => f.startsWith('docs/')).length).toBeGreaterThan(0);
  });

  it('depends only on what the SDK, the elements and the bindings import: no server dependency', () => {
    const code = ['src', 'components', 'frameworks'].flatMap((d) => walk(join(root, d))).filter((f) => /\.(ts|js)$/.test(f)).map((f) => readFileSync(f, 'utf8')).join('\n');
    const imported = (dep: string) => new RegExp(`(from|import)\\s*\\(?\\s*'${dep.replace(/[/.]/g, '\\$&')}(/[^']*)?'`).test(code);
    const deps = Object.keys(pkg.dependencies ?? {});
    expect(deps.filter((d) => !imported(d))).toEqual([]);
    const server = Object.keys(manifest(join(root, 'server')).dependencies).filter((d) => d !== 'touchpoint' && d !== 'typebox');
    expect(deps.filter((d) => server.includes(d))).toEqual([]);
    for (const d of ['fastify', 'pg', '@electric-sql/pglite', 'mailparser', 'nodemailer', 'smtp-server']) expect(deps).not.toContain(d);
  });

  it('keeps React and Vue optional: peers the bindings need, never installed for a page that uses neither', () => {
    for (const p of ['react', 'vue']) {
      expect(pkg.peerDependencies?.[p], p).toBeTruthy();
      expect(pkg.peerDependenciesMeta?.[p]?.optional, p).toBe(true);
      expect(pkg.dependencies?.[p]).toBeUndefined();
    }
  });
});

describe('the @touchpoint/server package (the reference server, its console and operator commands)', () => {
  const dir = join(root, 'server');
  const pkg = manifest(dir);
  const packed = pack(dir);
  const files = new Set(packed.files.map((f) => f.path));

  it('holds its command, the built server and console, the bot FAQ, the demo sites and the LICENSE', () => {
    const named = targets(pkg.bin).map(rel);
    expect(named).toEqual(['bin/touchpoint.js']);
    for (const f of [...named, 'dist/js/main.js', 'dist/js/cli/touchpoint.js', 'dist/js/app.js', 'dist/console/index.html', 'dist/console/console.js', 'dist/console/console.css', 'chat/faq.json', 'demo-sites.json', 'LICENSE', 'package.json']) {
      expect(files, f).toContain(f);
    }
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toBe(readFileSync(join(root, 'LICENSE'), 'utf8'));
  });

  it('ships JavaScript, not its TypeScript sources', () => {
    expect([...files].filter((f) => f.endsWith('.ts') || f.startsWith('console/') || f.startsWith('lib/'))).toEqual([]);
  });

  it('reaches the SDK as a dependency, with its own server dependencies', () => {
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['touchpoint', 'fastify', 'pg', '@electric-sql/pglite']));
    expect(pkg.name).toBe('@touchpoint/server');
  });
});
