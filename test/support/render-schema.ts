import { ERROR_CODES } from '../../src/protocol/error.js';

type Json = Record<string, any>;

const typeOf = (s: Json): string => {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((v: unknown) => `\`${String(v)}\``).join(' \\| ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' \\| ');
  if (s.type === 'array') return `array of ${s.items ? typeOf(s.items) : 'any'}`;
  if (s.type === 'object' && s.patternProperties) return 'object (map)';
  if (s.type === 'string' && s.format) return `string (${s.format})`;
  return s.type ?? 'any';
};

const limits = (s: Json): string =>
  [
    s.minLength !== undefined && `min ${s.minLength} chars`,
    s.maxLength !== undefined && `max ${s.maxLength} chars`,
    s.pattern && `pattern \`${s.pattern.replace(/\|/g, '\\|')}\``,
    s.minimum !== undefined && `≥ ${s.minimum}`,
    s.maximum !== undefined && `≤ ${s.maximum}`,
    s.maxItems !== undefined && `max ${s.maxItems} items`,
  ]
    .filter(Boolean)
    .join(', ');

/** A markdown table of every field of an object schema, nested objects flattened with dotted paths. */
export const renderSchemaTable = (schema: Json): string => {
  const rows: string[] = ['| field | type | required | limits | description |', '| --- | --- | --- | --- | --- |'];
  const walk = (s: Json, prefix: string) => {
    const required = new Set<string>(s.required ?? []);
    for (const [k, raw] of Object.entries<Json>(s.properties ?? {})) {
      const sub = raw.anyOf?.find((x: Json) => x.type === 'object') ?? raw;
      const path = prefix + k;
      const desc = (raw.description ?? sub.description ?? '').replace(/\n/g, ' ').replace(/\|/g, '\\|');
      rows.push(`| \`${path}\` | ${typeOf(raw)} | ${required.has(k) ? 'yes' : ''} | ${limits(raw)} | ${desc} |`);
      if (sub.type === 'object' && sub.properties) walk(sub, `${path}.`);
    }
  };
  walk(schema, '');
  const extra = schema.additionalProperties === false ? 'Unknown fields are refused (`invalid_body`).' : 'Unknown fields are allowed.';
  return `${schema.description ?? ''}\n\n${rows.join('\n')}\n\n${extra}`;
};

export const renderErrorTable = (): string =>
  ['| code | HTTP | meaning |', '| --- | --- | --- |', ...Object.entries(ERROR_CODES).map(([code, e]) => `| \`${code}\` | ${e.status} | ${e.description} |`)].join('\n');

/** Replaces every `<!-- generated:NAME -->…<!-- /generated -->` block with `blocks[NAME]`. */
export const fillGenerated = (doc: string, blocks: Record<string, string>): string =>
  doc.replace(/<!-- generated:([\w-]+) -->[\s\S]*?<!-- \/generated -->/g, (_m, name: string) => {
    if (!(name in blocks)) throw new Error(`docs: no generator for block "${name}"`);
    return `<!-- generated:${name} -->\n${blocks[name]}\n<!-- /generated -->`;
  });
