import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { schemaDocument } from '../spec/index.js';
import { unprocessable } from './errors.js';

/**
 * Request validation like the real API (NestJS `ValidationPipe` with `whitelist` and
 * `forbidNonWhitelisted`): unknown properties are refused, every message names the field, all
 * problems come back at once in a 422 whose `message` is an array.
 */

/** Adds `additionalProperties: false` to every object schema that lists its properties. */
function whitelist(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(whitelist);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = key === 'properties' ? mapValues(value, whitelist) : whitelist(value);
  if ('properties' in out && !('additionalProperties' in out)) out.additionalProperties = false;
  return out;
}

function mapValues(obj: unknown, fn: (v: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj as Record<string, unknown>).map(([k, v]) => [k, fn(v)]));
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addSchema({ ...(whitelist(schemaDocument) as object), $id: 'ghl-request' });
const validators = new Map<string, ValidateFunction>();

function validatorFor(schemaName: string): ValidateFunction {
  let fn = validators.get(schemaName);
  if (!fn) {
    fn = ajv.getSchema(`ghl-request#/$defs/${schemaName}`);
    if (!fn) throw new Error(`no request schema ${schemaName}`);
    validators.set(schemaName, fn);
  }
  return fn;
}

function fieldPath(instancePath: string): { path: string; inArray: boolean } {
  const parts = instancePath.split('/').filter(Boolean);
  const inArray = parts.length > 0 && /^\d+$/.test(parts[parts.length - 1]!);
  const named = inArray ? parts.slice(0, -1) : parts;
  return { path: named.join('.'), inArray };
}

const TYPE_WORDS: Record<string, string> = {
  string: 'must be a string',
  boolean: 'must be a boolean value',
  number: 'must be a number conforming to the specified constraints',
  integer: 'must be an integer number',
  array: 'must be an array',
  object: 'must be an object',
};

/** One ajv error → one class-validator-style sentence naming the field. */
export function describeError(error: ErrorObject): string | null {
  const { path, inArray } = fieldPath(error.instancePath);
  const join = (child: string) => (path ? `${path}.${child}` : child);
  switch (error.keyword) {
    case 'additionalProperties':
      return `property ${join(String(error.params.additionalProperty))} should not exist`;
    case 'required':
      return `${join(String(error.params.missingProperty))} should not be empty`;
    case 'type': {
      const types = String(error.params.type).split(',');
      const words = TYPE_WORDS[types[0]!] ?? `must be ${types.join(' or ')}`;
      return inArray ? `each value in ${path} ${words}` : `${path || 'body'} ${words}`;
    }
    case 'enum':
      return `${path} must be one of the following values: ${(error.params.allowedValues as unknown[]).join(', ')}`;
    case 'maximum':
      return `${path} must not be greater than ${String(error.params.limit)}`;
    case 'minimum':
      return `${path} must not be less than ${String(error.params.limit)}`;
    case 'maxLength':
      return `${inArray ? `each value in ${path}` : path} must be shorter than or equal to ${String(error.params.limit)} characters`;
    case 'anyOf':
      return `${path || 'body'} is not valid`;
    default:
      return `${path || 'body'} ${error.message ?? 'is invalid'}`;
  }
}

/** Sentences for all problems, the anyOf noise folded into one line per field. */
export function describeErrors(errors: ErrorObject[]): string[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const messages = errors
    .filter((e) => e.keyword === 'anyOf' || ![...anyOfPaths].some((p) => e.instancePath.startsWith(p) && e.schemaPath.includes('anyOf')))
    .map(describeError)
    .filter((m): m is string => m !== null);
  return [...new Set(messages)];
}

/** Throws a 422 with every problem when `body` does not satisfy the named request schema. */
export function validateBody(schemaName: string, body: unknown): void {
  const validate = validatorFor(schemaName);
  if (!validate(body)) throw unprocessable(describeErrors(validate.errors ?? []));
}
