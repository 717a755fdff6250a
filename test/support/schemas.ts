import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { commonErrorResponses, routes, schemaDocument, type SpecRoute } from '../../src/spec/index.js';

/**
 * Validators for the contract as the suite checks it: request bodies against a route's request
 * schema, response bodies against the schema a route names for a status (`route.responses`, and
 * the overlay's `commonErrorResponses` for error statuses a route does not declare).
 *
 * The schemas are used exactly as published (no whitelisting), so extra properties pass; what
 * they declare (types, required keys, enums, formats) must hold.
 *
 * @example
 * const route = routeById('get-contact');
 * expect(responseErrors(route, 200, body)).toEqual([]);
 */

const ajv = new Ajv2020({ allErrors: true, strict: false });
// ajv-formats is not a dependency; `date-time` is the only format the schemas use.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
ajv.addFormat('date-time', { type: 'string', validate: (s: string) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)) });
ajv.addSchema(schemaDocument);

const validators = new Map<string, ValidateFunction>();

/** The compiled validator of a named schema of `schemaDocument.$defs`. */
export function schemaValidator(name: string): ValidateFunction {
  let fn = validators.get(name);
  if (!fn) {
    fn = ajv.getSchema(`ghl#/$defs/${name}`);
    if (!fn) throw new Error(`no schema ${name} in schemaDocument`);
    validators.set(name, fn);
  }
  return fn;
}

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}

/** Problems of `data` against a named schema; `[]` when it conforms. */
export function schemaErrors(name: string, data: unknown): string[] {
  const validate = schemaValidator(name);
  return validate(data) ? [] : describe(validate.errors);
}

export function routeById(operationId: string): SpecRoute {
  const route = routes.find((r) => r.operationId === operationId);
  if (!route) throw new Error(`no route ${operationId}`);
  return route;
}

/** The schema a route answers with for a status (route first, then the common error DTOs). */
export function responseSchemaName(route: SpecRoute, status: number): string | undefined {
  const key = String(status);
  return route.responses[key] ?? (status >= 400 ? commonErrorResponses[key] : undefined);
}

/** The 2xx status a route declares (every route declares exactly one). */
export function successStatus(route: SpecRoute): number {
  const codes = Object.keys(route.responses).filter((s) => /^2\d\d$/.test(s));
  if (codes.length !== 1) throw new Error(`${route.operationId} declares ${codes.length} success statuses`);
  return Number(codes[0]);
}

/** Problems of a response body against the route's schema for that status. */
export function responseErrors(route: SpecRoute, status: number, body: unknown): string[] {
  const name = responseSchemaName(route, status);
  if (!name) return [`${route.operationId} declares no schema for status ${status}`];
  return schemaErrors(name, body);
}

/** Problems of a request body against the route's request schema. */
export function requestErrors(route: SpecRoute, body: unknown): string[] {
  if (!route.requestBody) return body === undefined ? [] : [`${route.operationId} takes no request body`];
  if (body === undefined) return route.requestBody.required ? [`${route.operationId} requires a request body`] : [];
  if (!route.requestBody.schema) return [];
  return schemaErrors(route.requestBody.schema, body);
}

/** The property names a named object schema declares (for deliberately undeclared ones). */
export function declaredProperties(name: string): string[] {
  const schema = schemaDocument.$defs[name] as { properties?: Record<string, unknown> } | undefined;
  if (!schema) throw new Error(`no schema ${name} in schemaDocument`);
  return Object.keys(schema.properties ?? {});
}
