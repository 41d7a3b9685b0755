// The SDK's public entries by the names other layers import them with
// (`touchpoint`, `touchpoint/protocol`, …) and the source file of each: read
// from tsconfig.json `paths`, the one list, so the type checker, vitest's
// aliases and rollup's resolver can never disagree.
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const root = new URL('..', import.meta.url);
const { config, error } = ts.parseConfigFileTextToJson('tsconfig.json', readFileSync(new URL('tsconfig.json', root), 'utf8'));
if (error) throw new Error(`tsconfig.json: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);

/** `{ 'touchpoint/protocol': 'src/protocol/index' }`: each public entry's source path, without extension. */
export const PUBLIC_ENTRIES = Object.fromEntries(
  Object.entries(config.compilerOptions.paths)
    .filter(([name]) => name === 'touchpoint' || name.startsWith('touchpoint/'))
    .map(([name, [file]]) => [name, file.replace(/^\.\//, '').replace(/\.ts$/, '')]),
);
