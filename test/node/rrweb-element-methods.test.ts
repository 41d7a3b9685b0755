import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the rollup config is plain JavaScript, untyped
import { untaintedElementMethods } from '../../rollup.config.mjs';

const file = fileURLToPath(new URL('../../node_modules/@rrweb/record/dist/record.js', import.meta.url));
const source = readFileSync(file, 'utf8');
type Plugin = { transform(this: { error(m: string): never }, code: string, id: string): { code: string } | null };
const transform = (code: string, id = file) =>
  (untaintedElementMethods() as Plugin).transform.call(
    {
      error: (m: string) => {
        throw new Error(m);
      },
    },
    code,
    id,
  );
/** rrweb's lists of what it tests on a prototype before trusting it, as the bundle has them. */
const lists = (code: string) => {
  const grab = (name: string) => new Function(`return ${/\{[^}]*\}/.exec(code.slice(code.indexOf(`const ${name} = `)))![0]}`)() as Record<string, string[]>;
  return { accessors: grab('testableAccessors'), methods: grab('testableMethods') };
};

describe('the replay build’s rrweb', () => {
  it('tests querySelector and querySelectorAll as the methods they are, so an untouched page gets no iframe at start', () => {
    // As published, they are tested as getters: a test that always fails (an iframe on every recording page).
    expect(lists(source).accessors.Element).toEqual(['shadowRoot', 'querySelector', 'querySelectorAll']);
    const { accessors, methods } = lists(transform(source)!.code);
    expect(accessors.Element).toEqual(['shadowRoot']);
    expect(methods.Element).toEqual(['querySelector', 'querySelectorAll']);
    // Nothing else changes.
    expect({ ...accessors, Element: [] }).toEqual({ ...lists(source).accessors, Element: [] });
  });

  it('fails the build when an rrweb upgrade changes those lists, instead of silently shipping the iframe again', () => {
    expect(() => transform(source.replace('"querySelectorAll"', '"closest"'))).toThrow(/tp-rrweb-element-methods/);
    expect(transform('export {}', '/x/other.js')).toBeNull();
  });
});
