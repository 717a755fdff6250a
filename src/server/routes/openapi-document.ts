import { z } from 'zod';
import type { AnyRoute } from './contract.js';

type Json = Record<string, unknown>;

const toSchema = (schema: z.ZodType): Json => {
  const s = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  delete s.$schema;
  return s;
};

const ERROR_SCHEMA: Json = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } } } },
};

/** Path or query parameters of an object schema, one per property. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const s = toSchema(schema);
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
  for (const r of routes) {
    const op: Json = {
      operationId: `${r.method.toLowerCase()}${r.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))}`,
      summary: r.summary,
      tags: [r.tag],
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
      responses: {
        ...Object.fromEntries(
          Object.entries(r.responses).map(([status, res]) => [
            status,
            { description: res.description, ...(res.schema || res.contentType ? { content: { [res.contentType ?? 'application/json']: { schema: res.schema ?? {} } } } : {}) },
          ]),
        ),
        ...(r.rawBody || r.body || r.method !== 'GET' ? { 400: { description: 'Bad input (names the field)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } } : {}),
        ...(r.auth ? { 401: { description: 'No or wrong admin token', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } } : {}),
      },
    };
    if (r.auth) op.security = [{ adminToken: [] }];
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: toSchema(r.body) } } };
    if (r.rawBody) op.requestBody = { required: true, content: { 'application/json': { schema: {} } }, description: 'The raw body, verified byte for byte' };
    (paths[r.path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'ghl-bridge', version: info.version, description: 'Admin API (bearer admin token), webhook ingress, GHL OAuth connect and operations endpoints.' },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'The admin token (GHL_BRIDGE_ADMIN_TOKEN or <dataDir>/admin.token)' } },
      schemas: { Error: ERROR_SCHEMA },
    },
  };
}
