import { z } from 'zod';
import type { AnyRoute } from './contract.js';

type Json = Record<string, unknown>;

/** Named sub-schemas (zod's `$defs`, e.g. a recursive Condition), hoisted into `components.schemas`. */
type Defs = Map<string, Json>;

/** Points a schema's local `#/$defs/X` references at the document's components (renamed on a clash). */
function hoistDefs(node: unknown, renames: Map<string, string>): unknown {
  if (Array.isArray(node)) return node.map((n) => hoistDefs(n, renames));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')) {
      const name = v.slice('#/$defs/'.length);
      out[k] = `#/components/schemas/${renames.get(name) ?? name}`;
    } else out[k] = hoistDefs(v, renames);
  }
  return out;
}

/** `input` for what a client sends (defaults optional), `output` for what the server answers. */
const toSchema = (schema: z.ZodType, defs: Defs, io: 'input' | 'output' = 'input'): Json => {
  const s = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  delete s.$schema;
  const local = (s.$defs ?? {}) as Record<string, Json>;
  delete s.$defs;
  const renames = new Map<string, string>();
  for (const [name, def] of Object.entries(local)) {
    const text = JSON.stringify(def);
    let unique = io === 'output' ? `${name}Out` : name;
    for (let i = 2; defs.has(unique) && JSON.stringify(defs.get(unique)) !== text; i++) unique = `${name}${i}`;
    renames.set(name, unique);
  }
  for (const [name, def] of Object.entries(local)) defs.set(renames.get(name) ?? name, hoistDefs(def, renames) as Json);
  return hoistDefs(s, renames) as Json;
};

const ERROR_SCHEMA: Json = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } } } },
};

/** Path or query parameters of an object schema, one per property. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query', defs: Defs): Json[] {
  if (!schema) return [];
  const s = toSchema(schema, defs);
  const props = (s.properties ?? {}) as Record<string, Json>;
  const required = new Set((s.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, p]) => ({ name, in: where, required: where === 'path' || required.has(name), schema: p, ...(typeof p.description === 'string' ? { description: p.description } : {}) }));
}

/**
 * The OpenAPI 3.1 document of the given routes, built from their contracts (zod → JSON Schema).
 *
 * @example
 * const doc = openApiDocument(ROUTES, { version: '0.1.0' });
 */
export function openApiDocument(routes: readonly AnyRoute[], info: { version: string }): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const defs: Defs = new Map();
  for (const r of routes) {
    const op: Json = {
      operationId: `${r.method.toLowerCase()}${r.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))}`,
      summary: r.summary,
      tags: [r.tag],
      parameters: [...parameters(r.params, 'path', defs), ...parameters(r.query, 'query', defs)],
      responses: {
        ...Object.fromEntries(
          Object.entries(r.responses).map(([status, res]) => {
            const schema = res.schema ?? (res.body ? toSchema(res.body, defs, 'output') : undefined);
            return [status, { description: res.description, ...(schema || res.contentType ? { content: { [res.contentType ?? 'application/json']: { schema: schema ?? {} } } } : {}) }];
          }),
        ),
        ...(r.rawBody || r.body || r.method !== 'GET' ? { 400: { description: 'Bad input (names the field)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } } : {}),
        ...(r.auth ? { 401: { description: 'No or wrong admin token', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } } : {}),
      },
    };
    // scripts and the CLI send the bearer; the console its session cookie (mutations add x-csrf-token)
    if (r.auth) op.security = [{ adminToken: [] }, { consoleSession: [] }];
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: toSchema(r.body, defs) } } };
    if (r.rawBody) op.requestBody = { required: true, content: { 'application/json': { schema: {} } }, description: 'The raw body, verified byte for byte' };
    (paths[r.path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'ghl-bridge', version: info.version, description: 'Admin API (bearer admin token), webhook ingress, GHL OAuth connect and operations endpoints.' },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'The admin token (GHL_BRIDGE_ADMIN_TOKEN or <dataDir>/admin.token)' },
        consoleSession: { type: 'apiKey', in: 'cookie', name: 'ghlb_session', description: 'The console session (POST /api/v1/session or a one-time /login link); a change also needs the x-csrf-token header' },
      },
      schemas: { Error: ERROR_SCHEMA, ...Object.fromEntries(defs) },
    },
  };
}
