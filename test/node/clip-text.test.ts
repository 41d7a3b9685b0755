import { describe, expect, it } from 'vitest';
import { clipText } from '../../src/lib/clip-text.js';
import { textFault } from '../../server/lib/validate.js';

describe('clipText', () => {
  it('never cuts an emoji in half where slice() would', () => {
    const label = `${'x'.repeat(63)}😀 and more`;
    expect(label.slice(0, 64)).not.toBe(label.slice(0, 63)); // slice leaves the high surrogate
    expect(textFault(label.slice(0, 64))).toBeDefined();
    expect(clipText(label, 64)).toBe('x'.repeat(63));
    expect(clipText(label, 65)).toBe(`${'x'.repeat(63)}😀`);
  });

  it('keeps text under the limit as it is, pairs, combining marks and ZWJ sequences included', () => {
    for (const s of ['Buy now', 'Café', '👩‍💻 dev', '🇫🇷', 'e\u0301', '']) expect(clipText(s, 64)).toBe(s);
  });

  it('drops NULs and makes unpaired surrogates U+FFFD, so what it returns is always storable', () => {
    expect(clipText('a\u0000b', 64)).toBe('ab');
    expect(clipText('a\ud800b\udc00c', 64)).toBe('a\ufffdb\ufffdc');
    expect(clipText('\ude00\ud83d', 64)).toBe('\ufffd\ufffd');
  });

  it('returns at most max UTF-16 units with no fault for any cut of any mix of text', () => {
    const atoms = ['a', '😀', '\u0000', '\ud800', '\udc00', 'é', '👩‍💻', ' '];
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let n = 0; n < 2000; n++) {
      const s = Array.from({ length: Math.floor(rnd() * 30) }, () => atoms[Math.floor(rnd() * atoms.length)]).join('');
      const max = Math.floor(rnd() * 40);
      const out = clipText(s, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(textFault(out), JSON.stringify(s)).toBeUndefined();
    }
  });
});
