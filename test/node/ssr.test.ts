import { describe, expect, it } from 'vitest';

describe('server-side rendering (Node, no DOM)', () => {
  it('imports the SDK and calls every method without throwing or touching browser globals', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    const { createTouchpoint } = await import('../../src/index.js');
    const tp = createTouchpoint({ siteKey: 'demo', endpoint: 'http://127.0.0.1:1' });
    expect(() => {
      tp.page();
      tp.track('Rendered', { a: 1 });
      tp.identify('u', { plan: 'pro' }, { userHash: 'f'.repeat(64) });
      tp.alias('u2');
      tp.group('g');
      tp.use({ name: 'p', stage: 'before', run: (e) => e });
      tp.on('event', () => {})();
      tp.consent.grantAll();
      tp.consent.get();
    }).not.toThrow();
    await expect(tp.flush()).resolves.toBeUndefined();
    await expect(tp.reset()).resolves.toBeUndefined();
    await expect(tp.ready()).resolves.toBeUndefined();
    expect(tp.anonymousId).toBe('');
  });
});
