import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import * as protocol from '../../src/protocol/index.js';
import { fillGenerated, renderErrorTable, renderSchemaTable } from '../support/render-schema.js';

// The schemas are the single source of truth: docs/protocol.md's tables and
// docs/schemas/*.json are generated from them. `npm run docs` rewrites both;
// this test fails when either has drifted from the code.
const SCHEMAS = (Object.values(protocol) as unknown[]).filter(
  (v): v is Record<string, any> & { $id: string } => typeof v === 'object' && v !== null && typeof (v as { $id?: unknown }).$id === 'string',
);
const blocks: Record<string, string> = { errors: renderErrorTable(), limits: ['| limit | default |', '| --- | --- |', ...Object.entries(protocol.LIMITS).map(([k, v]) => `| \`${k}\` | ${v} |`)].join('\n') };
for (const s of SCHEMAS) blocks[`schema-${s.$id}`] = renderSchemaTable(s);

const update = process.env.UPDATE_DOCS === '1';

describe('docs/protocol.md', () => {
  it('has every generated table equal to what the schemas say', () => {
    const doc = readFileSync('docs/protocol.md', 'utf8');
    const fresh = fillGenerated(doc, blocks);
    if (update) writeFileSync('docs/protocol.md', fresh);
    else expect(fresh, 'docs/protocol.md is stale: run `npm run docs`').toBe(doc);
  });

  it('documents every schema of the protocol', () => {
    const doc = readFileSync('docs/protocol.md', 'utf8');
    for (const s of SCHEMAS) expect(doc, `docs/protocol.md lacks <!-- generated:schema-${s.$id} -->`).toContain(`<!-- generated:schema-${s.$id} -->`);
  });
});

describe('docs/schemas/*.json', () => {
  it('are the protocol schemas as JSON Schema files, one per message', () => {
    for (const s of SCHEMAS) {
      const file = `docs/schemas/${s.$id}.json`;
      const json = JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...s }, null, 2) + '\n';
      if (update) writeFileSync(file, json);
      else expect(readFileSync(file, 'utf8'), `${file} is stale: run \`npm run docs\``).toBe(json);
    }
    expect(readdirSync('docs/schemas').sort()).toEqual(SCHEMAS.map((s) => `${s.$id}.json`).sort());
  });
});
