import { describe, expect, it } from 'vitest';
import { scrubText } from '../../src/replay/privacy.js';
import { limitMutations, type RrEvent } from '../../src/replay/limit-mutations.js';

describe('replay PII scrubbing', () => {
  it.each([
    ['Write to ada.lovelace@example.com today', 'Write to ************************ today'],
    ['Card 4242 4242 4242 4242 on file', 'Card **** **** **** **** on file'],
    ['Card 4242424242424242', 'Card ****************'],
    ['Amex 3782 822463 10005', 'Amex **** ****** *****'],
    ['IBAN RO49AAAA1B31007593840000', 'IBAN ************************'],
    ['IBAN GB82 WEST 1234 5698 7654 32', 'IBAN **** **** **** **** **** **'],
    ['Call +40 721 234 567 now', 'Call *** *** *** *** now'],
    ['Call (555) 123-4567', 'Call ***** ***-****'],
  ])('masks %j', (input, output) => expect(scrubText(input)).toBe(output));

  it.each([
    'rgb(255 255 255)',
    'matrix(1 0 0 1 0 0)',
    'grid-template-columns: 100px 200px 300px',
    'Order 2026-11-22 at 10:00',
    'Invoice 1234567890123 is not a card', // 13 digits failing the Luhn check
    'calc(var(--z) + 1)',
    'font-weight: 400 500 700',
  ])('leaves %j alone', (text) => expect(scrubText(text)).toBe(text));
});

describe('per-node mutation throttling', () => {
  const attr = (id: number, t = 0): RrEvent => ({ type: 3, timestamp: t, data: { source: 0, attributes: [{ id }], texts: [], adds: [], removes: [] } });

  it('lets a node change `burst` times, then drops its changes until the bucket refills', () => {
    let now = 0;
    const limit = limitMutations(5, 1, () => now);
    const kept = Array.from({ length: 20 }, () => limit(attr(7))).filter(Boolean);
    expect(kept).toHaveLength(5);
    // Another node is unaffected.
    expect(limit(attr(8))).toBeDefined();
    now = 2_000; // two tokens back
    expect([limit(attr(7)), limit(attr(7)), limit(attr(7))].filter(Boolean)).toHaveLength(2);
  });

  it('never drops structure (adds, removes) nor non-mutation events', () => {
    const limit = limitMutations(0, 0, () => 0);
    const add: RrEvent = { type: 3, timestamp: 0, data: { source: 0, attributes: [{ id: 1 }], texts: [], adds: [{}], removes: [] } };
    expect(limit(add)?.data.attributes).toEqual([]);
    expect(limit(add)?.data.adds).toHaveLength(1);
    const click: RrEvent = { type: 3, timestamp: 0, data: { source: 2 } };
    expect(limit(click)).toBe(click);
  });
});
