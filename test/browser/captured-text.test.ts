import { describe, expect, it } from 'vitest';
import { describeElement } from '../../src/autocapture/describe-element.js';
import { trackErrors } from '../../src/autocapture/track-errors.js';
import { until } from '../support/until.js';

/** What a backend refuses in any string (docs/protocol.md §6.1): a NUL or an unpaired surrogate. */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const storable = (s: unknown) => typeof s === 'string' && !/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

describe('text the SDK captures from the page', () => {
  it("keeps a control's emoji whole at the 64-character cut (slice left half of it, and the batch got a 500)", () => {
    const b = document.body.appendChild(document.createElement('button'));
    b.textContent = `${'x'.repeat(63)}🛒 Add to cart`;
    const d = describeElement(b);
    expect(d.text).toBe('x'.repeat(63));
    expect(storable(d.text)).toBe(true);
    b.textContent = `${'x'.repeat(62)}🛒 Add to cart`;
    expect(describeElement(b).text).toBe(`${'x'.repeat(62)}🛒`);
  });

  it('drops NULs and repairs lone surrogates in labels, ids and classes', () => {
    const b = document.body.appendChild(document.createElement('button'));
    b.setAttribute('aria-label', 'Pay\u0000 now \ud800');
    b.id = 'id\u0000x';
    b.className = 'a\udc00 b';
    const d = describeElement(b);
    expect(d).toMatchObject({ text: 'Pay now \ufffd', id: 'idx', classes: ['a\ufffd', 'b'] });
  });

  it('cuts error messages and stacks by code point', async () => {
    const got: Record<string, unknown>[] = [];
    trackErrors((_m, [, props]) => void got.push(props as Record<string, unknown>));
    const err = new Error(`${'e'.repeat(499)}😀 tail`);
    err.stack = `${'s'.repeat(1999)}😀 more`;
    window.dispatchEvent(new ErrorEvent('error', { message: err.message, error: err }));
    await until(() => got.length === 1);
    expect(got[0]!.message).toBe('e'.repeat(499));
    expect(got[0]!.stack).toBe('s'.repeat(1999));
    expect([got[0]!.message, got[0]!.stack].every(storable)).toBe(true);
  });
});
