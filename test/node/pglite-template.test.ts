import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('the PGlite template', () => {
  it('falls back to a blank store when the template dump is corrupt', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tp-template-')), 'blank.tar');
    writeFileSync(file, 'not a tar archive, as a setup killed while writing it leaves');
    const good = process.env.TOUCHPOINT_PGLITE_TEMPLATE;
    process.env.TOUCHPOINT_PGLITE_TEMPLATE = file;
    // Imported after the variable is set: the module reads it once.
    const { createPgliteStore } = await import('../../server/store/pglite-store.js');
    const store = await createPgliteStore(undefined).finally(() => {
      // The worker runs other files after this one: they get the real template back.
      if (good === undefined) delete process.env.TOUCHPOINT_PGLITE_TEMPLATE;
      else process.env.TOUCHPOINT_PGLITE_TEMPLATE = good;
    });
    try {
      const { rows } = await store.query<{ one: number }>('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await store.close();
    }
  }, 120_000);
});
