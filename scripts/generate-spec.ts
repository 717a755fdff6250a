/**
 * Derives what the code needs from HighLevel's OpenAPI files (the contract) and writes it to
 * `src/spec/generated/`: JSON Schemas (draft 2020-12, `nullable` turned into type unions),
 * the route table, and TypeScript types. Prose (descriptions, summaries, examples) is stripped,
 * so nothing of the spec's text is copied.
 *
 * Usage: npm run generate:spec [-- --spec ../shared/ghl-openapi] [--out DIR]
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SpecRoute, SpecRouteParam } from '../src/spec/route-types.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const specArg = process.argv.indexOf('--spec');
const specDir = resolve(specArg > 0 ? process.argv[specArg + 1]! : join(root, '..', 'shared', 'ghl-openapi'));
const outArg = process.argv.indexOf('--out');
const outDir = resolve(outArg > 0 ? process.argv[outArg + 1]! : join(root, 'src', 'spec', 'generated'));
const MODULES = ['apps/contacts.json', 'apps/oauth.json'] as const;
const COMMON = 'common/common-schemas.json';
const PROSE = new Set(['description', 'summary', 'example', 'examples', 'externalDocs', 'title', 'x-tagGroups']);
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);

function load(path: string): JsonObject {
  return JSON.parse(readFileSync(join(specDir, path), 'utf8')) as JsonObject;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every $ref (local or into the common file) becomes `#/$defs/<Name>`. */
function refName(ref: string): string {
  const name = ref.split('/').pop();
  if (!name) throw new Error(`unsupported $ref ${ref}`);
  return name;
}

/** OpenAPI 3.0 schema -> JSON Schema 2020-12, prose stripped. */
function toJsonSchema(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (PROSE.has(key) || key === 'nullable') continue;
    if (key === '$ref' && typeof value === 'string') out.$ref = `#/$defs/${refName(value)}`;
    else if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)]));
    } else out[key] = toJsonSchema(value);
  }
  if (schema.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (out.$ref) return { anyOf: [{ $ref: out.$ref }, { type: 'null' }] };
  }
  return out;
}

const defs: JsonObject = {};
function addSchemas(file: string, doc: JsonObject): void {
  const components = doc.components;
  if (!isObject(components) || !isObject(components.schemas)) return;
  for (const [name, schema] of Object.entries(components.schemas)) {
    if (name in defs) throw new Error(`schema name ${name} from ${file} collides with another module`);
    defs[name] = toJsonSchema(schema);
  }
}

type Route = Omit<SpecRoute, 'params'> & { params: SpecRouteParam[] };

function schemaRef(content: Json | undefined): string | null {
  if (!isObject(content)) return null;
  for (const media of Object.values(content)) {
    if (isObject(media) && isObject(media.schema) && typeof media.schema.$ref === 'string') return refName(media.schema.$ref);
  }
  return null;
}

const routes: Route[] = [];
addSchemas(COMMON, load(COMMON));
for (const file of MODULES) {
  const doc = load(file);
  addSchemas(file, doc);
  const module = file.replace(/^apps\//, '').replace(/\.json$/, '');
  for (const [path, item] of Object.entries(doc.paths as JsonObject)) {
    if (!isObject(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method) || !isObject(op)) continue;
      const security = Array.isArray(op.security) && isObject(op.security[0]) ? op.security[0] : null;
      const [scheme, scopes] = security ? Object.entries(security)[0]! : [null, null];
      const body = isObject(op.requestBody) ? op.requestBody : null;
      const contentType = body && isObject(body.content) ? Object.keys(body.content)[0]! : null;
      routes.push({
        operationId: String(op.operationId),
        module,
        method: method.toUpperCase(),
        path,
        deprecated: op.deprecated === true,
        security: scheme ? { scheme, scopes: (scopes as string[]) ?? [] } : null,
        params: (Array.isArray(op.parameters) ? op.parameters : []).filter(isObject).map((p) => ({
          name: String(p.name),
          in: String(p.in),
          required: p.required === true,
          schema: toJsonSchema(p.schema ?? {}),
        })),
        requestBody: contentType && body ? { contentType, schema: schemaRef(body.content), required: body.required === true } : null,
        responses: Object.fromEntries(
          Object.entries(isObject(op.responses) ? op.responses : {}).map(([status, r]) => [status, isObject(r) ? schemaRef(r.content) : null]),
        ),
      });
    }
  }
}

/** Literal segments win over parameters, segment by segment, as the real API routes them. */
function specificity(a: Route, b: Route): number {
  const sa = a.path.split('/');
  const sb = b.path.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const pa = sa[i]!.startsWith('{');
    const pb = sb[i]!.startsWith('{');
    if (pa !== pb) return pa ? 1 : -1;
  }
  return sb.length - sa.length || a.path.localeCompare(b.path) || a.method.localeCompare(b.method);
}
routes.sort(specificity);

// ---------- TypeScript types ----------
function tsType(schema: Json, indent = ''): string {
  if (!isObject(schema)) return 'unknown';
  if (typeof schema.$ref === 'string') return refName(schema.$ref);
  if (Array.isArray(schema.anyOf)) return schema.anyOf.map((s) => tsType(s, indent)).join(' | ');
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types
    .map((t) => {
      switch (t) {
        case 'string': return 'string';
        case 'number': case 'integer': return 'number';
        case 'boolean': return 'boolean';
        case 'null': return 'null';
        case 'array': return `Array<${tsType(schema.items ?? {}, indent)}>`;
        case 'object': {
          const props = isObject(schema.properties) ? Object.entries(schema.properties) : [];
          if (props.length === 0) return 'Record<string, unknown>';
          const required = new Set(Array.isArray(schema.required) ? schema.required : []);
          const inner = indent + '  ';
          const lines = props.map(([k, v]) => `${inner}${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}${required.has(k) ? '' : '?'}: ${tsType(v, inner)};`);
          return `{\n${lines.join('\n')}\n${indent}}`;
        }
        default: return 'unknown';
      }
    })
    .join(' | ');
}

const banner = '// Generated by scripts/generate-spec.ts from the HighLevel OpenAPI files. Do not edit.\n';
const types = Object.entries(defs)
  .map(([name, schema]) => `export type ${name} = ${tsType(schema)};`)
  .join('\n\n');

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'schemas.json'), JSON.stringify({ $defs: defs }, null, 2) + '\n');
writeFileSync(
  join(outDir, 'routes.ts'),
  `${banner}import type { SpecRoute } from '../route-types.js';\n\nexport const specRoutes: readonly SpecRoute[] = ${JSON.stringify(routes, null, 2)};\n`,
);
writeFileSync(join(outDir, 'types.ts'), `${banner}/* eslint-disable */\n\n${types}\n`);
console.log(`generated ${routes.length} routes and ${Object.keys(defs).length} schemas into ${outDir}`);
