/**
 * Grammar-based random JSON for the fuzz: values a schema-free generator would
 * never think of (escapes of lone surrogates, `1e400`, `-0`, duplicate and
 * `__proto__` keys, whitespace of every kind), all from a seeded PRNG so a
 * failure replays from its seed.
 */
export type Rnd = () => number;

const int = (rnd: Rnd, n: number) => Math.floor(rnd() * n);
const pickOf = <T>(rnd: Rnd, a: readonly T[]): T => a[int(rnd, a.length)]!;

/** Characters that are valid in any string but trip naive code: pairs, controls, markup, quotes. */
const ATOMS = ['a', 'Z', '0', ' ', '😀', '👩‍💻', 'é', '\u200f', '\ufeff', '\uffff', '"', '\\', '/', '\n', '\t', '\u001f', '<script>', '%00', '${x}', '{{x}}', "'; DROP TABLE events; --", '\u2028', '🇫🇷'];
const KEYS = ['a', 'b', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'length', '0', '1', '', ' ', 'a/b', 'a~b', 'ключ', '😀'];

const randomString = (rnd: Rnd): string => Array.from({ length: int(rnd, 6) }, () => pickOf(rnd, ATOMS)).join('');

/** A random JSON value (as a JS value): finite numbers, valid strings, nesting up to `depth`. */
export const randomValue = (rnd: Rnd, depth: number): unknown => {
  const r = rnd();
  if (depth <= 0 || r < 0.45) {
    const leaf = int(rnd, 6);
    if (leaf === 0) return null;
    if (leaf === 1) return rnd() < 0.5;
    if (leaf === 2) return pickOf(rnd, [0, -1, 1.5, 2 ** 53 - 1, -(2 ** 31), 1e-7, 1e300, Number.MAX_VALUE, Number.MIN_VALUE]);
    return randomString(rnd);
  }
  if (r < 0.7) return Array.from({ length: int(rnd, 4) }, () => randomValue(rnd, depth - 1));
  const o: Record<string, unknown> = {};
  // Own data properties even for `__proto__`: JSON.parse makes them so, and so must we.
  for (let i = int(rnd, 4); i > 0; i--) Object.defineProperty(o, pickOf(rnd, KEYS.filter((k) => k !== '')) + int(rnd, 3), { value: randomValue(rnd, depth - 1), enumerable: true, writable: true, configurable: true });
  return o;
};

const WS = ['', '', '', ' ', '\n', '\t', '\r\n  '];
const NUMBERS = ['0', '-0', '1', '-1', '1.5', '1e3', '1E+2', '1e-7', '1e400', '-1e400', '9007199254740993', '123456789012345678901234567890', '0.000000000000000000001', '2147483648'];
const ESCAPES = ['\\u0000', '\\ud800', '\\udc00', '\\ud83d\\ude00', '\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t', '\\u00e9', '\\uFFFF'];

/**
 * Random JSON *text* from the grammar of RFC 8259: what JSON.stringify never
 * writes (`\ud800` escapes, `1e400`, `-0`, duplicate keys, odd whitespace).
 */
export const randomJsonText = (rnd: Rnd, depth: number): string => {
  const ws = () => pickOf(rnd, WS);
  const str = () => `"${Array.from({ length: int(rnd, 5) }, () => (rnd() < 0.3 ? pickOf(rnd, ESCAPES) : JSON.stringify(randomString(rnd)).slice(1, -1))).join('')}"`;
  const r = rnd();
  if (depth <= 0 || r < 0.4) {
    const leaf = int(rnd, 5);
    if (leaf === 0) return pickOf(rnd, ['null', 'true', 'false']);
    if (leaf <= 2) return pickOf(rnd, NUMBERS);
    return str();
  }
  if (r < 0.65) return `[${ws()}${Array.from({ length: int(rnd, 4) }, () => randomJsonText(rnd, depth - 1)).join(`${ws()},${ws()}`)}${ws()}]`;
  const members = Array.from({ length: int(rnd, 5) }, () => `${rnd() < 0.5 ? JSON.stringify(pickOf(rnd, KEYS)) : str()}${ws()}:${ws()}${randomJsonText(rnd, depth - 1)}`);
  return `{${ws()}${members.join(`${ws()},${ws()}`)}${ws()}}`;
};

const POISONS = { NUL: '\u0000', 'lone high surrogate': '\ud800', 'lone low surrogate': '\udfff', 'reversed pair': '\ude00\ud83d' } as const;
const pointer = (k: string | number) => `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`;

/**
 * A copy of `value` with one string made invalid (a NUL or an unpaired
 * surrogate) at a random place — a value or a key — and the JSON Pointer of
 * that place: where a backend's error MUST point.
 */
export const poison = <T>(rnd: Rnd, value: T): [{ poison: string; path: string }, T] => {
  const [name, bad] = pickOf(rnd, Object.entries(POISONS));
  const copy = JSON.parse(JSON.stringify(value)) as T;
  let node: unknown = copy;
  let path = '';
  for (;;) {
    const isObj = node !== null && typeof node === 'object';
    const keys = isObj ? Object.keys(node as object) : [];
    if (!isObj) throw new Error('poison: the value must be an object or array');
    const o = node as Record<string, unknown>;
    const children = keys.filter((k) => o[k] !== null && typeof o[k] === 'object');
    // Descend sometimes; otherwise poison here: a new member (key or value), or a string in place.
    if (children.length && rnd() < 0.5) {
      const k = pickOf(rnd, children);
      node = o[k];
      path += pointer(k);
      continue;
    }
    const at = `${pickOf(rnd, ['', 'x', 'label '])}${bad}${pickOf(rnd, ['', 'y', ' end'])}`;
    if (Array.isArray(o)) {
      (o as unknown[]).push(at);
      path += pointer(o.length - 1);
    } else if (rnd() < 0.5) {
      const k = `k${int(rnd, 1e6)}`;
      o[k] = at;
      path += pointer(k);
    } else {
      const k = `key${at}`;
      o[k] = 1;
      path += pointer(k);
    }
    return [{ poison: name, path }, copy];
  }
};
