/**
 * Readable summaries of the catalog's JSON Schemas: the top-level fields of a payload, input or
 * output with their types, for `ops show` and docs/catalog.md (the full schema stays in `--json`).
 */
import { didYouMean } from '../engine/recipes/schema-errors.js';
import type { CatalogEntry } from './catalog.js';
import type { JsonSchema } from './types.js';

export interface SchemaField {
  name: string;
  /** e.g. `string`, `string | null`, `object`, `array of string`, `one of candidate.created, …` */
  type: string;
  required: boolean;
  description: string | null;
}

type Node = Record<string, unknown>;

/** The schema a top-level `$ref` names (GHL's bundled outputs), else the schema itself. */
function deref(schema: Node, root: Node): Node {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const name = ref.replace(/^.*#\/\$defs\//, '');
  const defs = (root.$defs ?? {}) as Record<string, Node>;
  return defs[name] ? deref(defs[name], root) : schema;
}

/**
 * A schema's type in a few words.
 *
 * @example
 * typeOf({ anyOf: [{ type: 'string' }, { type: 'null' }] }, root); // 'string | null'
 */
export function typeOf(schema: unknown, root: Node): string {
  if (typeof schema !== 'object' || schema === null) return 'any';
  const s = schema as Node;
  if (typeof s.$ref === 'string') {
    const target = deref(s, root);
    return target === s ? s.$ref.replace(/^.*\//, '') : typeOf(target, root);
  }
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => String(v)).join(', ')}`;
  const union = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) return [...new Set(union.map((u) => typeOf(u, root)))].join(' | ');
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : [];
  if (types.length === 0) return s.properties ? 'object' : 'any';
  return types.map((t) => (t === 'array' && s.items ? `array of ${typeOf(s.items, root)}` : t)).join(' | ');
}

/**
 * The top-level fields of a JSON Schema (none for a schema without properties, e.g. `{ type: 'object' }`).
 *
 * @example
 * schemaFields({ type: 'object', required: ['id'], properties: { id: { type: 'string' } } }); // [{ name: 'id', type: 'string', required: true, description: null }]
 */
export function schemaFields(schema: JsonSchema | null | undefined): SchemaField[] {
  if (!schema) return [];
  const top = deref(schema, schema);
  const props = (top.properties ?? {}) as Record<string, Node>;
  const required = new Set(Array.isArray(top.required) ? (top.required as string[]) : []);
  return Object.entries(props).map(([name, p]) => ({ name, type: typeOf(p, schema), required: required.has(name), description: typeof p.description === 'string' ? p.description : null }));
}

/**
 * The entry of an id, or a message naming the closest id: `no operation "x" (did you mean "y"?)`.
 *
 * @example
 * findEntry(catalog, 'recruitee.candidate.create'); // { ok: false, message: 'no operation "recruitee.candidate.create" (did you mean "recruitee.candidate.created"?)' }
 */
export function findEntry(catalog: readonly CatalogEntry[], id: string): { ok: true; entry: CatalogEntry } | { ok: false; message: string } {
  const entry = catalog.find((e) => e.id === id);
  if (entry) return { ok: true, entry };
  const hint = didYouMean(id, catalog.map((e) => e.id));
  return { ok: false, message: `no operation "${id}"${hint || ' (`ghl-bridge ops list` shows every id)'}` };
}
