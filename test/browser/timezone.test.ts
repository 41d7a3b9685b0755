import { afterEach, describe, expect, it } from 'vitest';
import { timezone } from '../../src/lib/timezone.js';

/** Counts the workers the page starts while `fn` runs. */
const workersStarted = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const Real = globalThis.Worker;
  let n = 0;
  globalThis.Worker = class extends Real {
    constructor(...a: ConstructorParameters<typeof Worker>) {
      super(...a);
      n++;
    }
  };
  try {
    return [await fn(), n];
  } finally {
    globalThis.Worker = Real;
  }
};

describe('the time zone', () => {
  const temporal = Object.getOwnPropertyDescriptor(globalThis, 'Temporal');
  afterEach(() => {
    if (temporal) Object.defineProperty(globalThis, 'Temporal', temporal);
  });

  it('comes from Temporal without starting a worker where the browser has Temporal (issue #21)', async () => {
    expect(temporal, 'this Chromium has Temporal').toBeDefined();
    const [tz, workers] = await workersStarted(timezone);
    expect(tz).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(workers).toBe(0);
  });

  it('comes from a worker where the browser has no Temporal', async () => {
    delete (globalThis as { Temporal?: unknown }).Temporal;
    const [tz, workers] = await workersStarted(timezone);
    expect(tz).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(workers).toBe(1);
  });

  it('comes from a worker when Temporal throws', async () => {
    Object.defineProperty(globalThis, 'Temporal', { configurable: true, value: { Now: { timeZoneId: () => { throw new RangeError('no zone'); } } } });
    const [tz, workers] = await workersStarted(timezone);
    expect(tz).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(workers).toBe(1);
  });
});
