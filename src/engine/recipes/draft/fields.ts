/**
 * The fields a trigger's events carry, read from its sample payload when the catalog has one (the
 * real shape, values included) and else from its output JSON Schema, and the guesses a first
 * recipe starts from: which path is the email, the phone, the names, the company, the record id,
 * a date. Guesses go by key names only, so they are suggestions the author checks.
 */
import type { CatalogEntry } from '../../../connectors/catalog.js';
import type { JsonSchema } from '../../../connectors/types.js';

/** A catalog trigger, with the sample another part of the catalog adds (optional until it lands everywhere). */
export type DraftTrigger = CatalogEntry;

export interface Leaf {
  /** recipe path, e.g. `candidate.emails[0]` */
  path: string;
  /** the last key, e.g. `emails` */
  key: string;
  /** string, number, integer, boolean, object (an open object: its own fields are unknown) */
  kind: string;
  /** a JSON Schema `format` or, from a sample, `date-time` for ISO-looking text */
  format?: string;
  description?: string;
}

const MAX_DEPTH = 5;
// keys a recipe path can name without quoting
const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const join = (base: string, key: string) => (base === '' ? key : `${base}.${key}`);

function fromSample(value: unknown, path: string, key: string, depth: number, out: Leaf[]): void {
  if (Array.isArray(value)) {
    if (value.length > 0 && depth < MAX_DEPTH) fromSample(value[0], `${path}[0]`, key, depth + 1, out);
    return;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => SIMPLE_KEY.test(k));
    if (entries.length === 0 && path !== '') out.push({ path, key, kind: 'object' });
    if (depth >= MAX_DEPTH) return;
    for (const [k, v] of entries) fromSample(v, join(path, k), k, depth + 1, out);
    return;
  }
  if (path === '') return;
  const kind = value === null ? 'null' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;
  out.push({ path, key, kind, ...(typeof value === 'string' && ISO_DATE.test(value) ? { format: 'date-time' } : {}) });
}

function kindOf(schema: JsonSchema): string {
  const t = schema.type;
  const types = (Array.isArray(t) ? t : t === undefined ? [] : [t]).filter((x) => x !== 'null') as string[];
  if (types.length > 0) return types[0]!;
  if (Array.isArray(schema.enum)) return typeof schema.enum.find((v) => v !== null);
  return 'unknown';
}

function fromSchema(schema: JsonSchema | undefined, path: string, key: string, depth: number, out: Leaf[]): void {
  if (!schema || typeof schema !== 'object') return;
  const kind = kindOf(schema);
  const description = typeof schema.description === 'string' ? schema.description : undefined;
  if (kind === 'array') {
    if (depth < MAX_DEPTH) fromSchema(schema.items as JsonSchema | undefined, `${path}[0]`, key, depth + 1, out);
    return;
  }
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (kind === 'object' || properties) {
    const keys = Object.keys(properties ?? {}).filter((k) => SIMPLE_KEY.test(k));
    if (keys.length === 0 && path !== '') out.push({ path, key, kind: 'object', ...(description ? { description } : {}) });
    if (depth >= MAX_DEPTH) return;
    for (const k of keys) fromSchema(properties![k], join(path, k), k, depth + 1, out);
    return;
  }
  if (path === '') return;
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  out.push({ path, key, kind, ...(format ? { format } : {}), ...(description ? { description } : {}) });
}

/**
 * The payload's fields, sample first, schema otherwise.
 *
 * @example
 * payloadFields(catalog.find((e) => e.id === 'recruitee.candidate.created')!);
 * // { from: 'schema', leaves: [{ path: 'candidate.id', key: 'id', kind: 'integer' }, …] }
 */
export function payloadFields(trigger: DraftTrigger, event?: string): { from: 'sample' | 'schema'; leaves: Leaf[] } {
  const leaves: Leaf[] = [];
  const sample = [trigger.sample, ...(trigger.samples ?? [])].find((s) => s?.type === event) ?? trigger.sample;
  if (sample && typeof sample.payload === 'object' && sample.payload !== null) {
    fromSample(sample.payload, '', '', 0, leaves);
    if (leaves.length > 0) return { from: 'sample', leaves };
  }
  fromSchema(trigger.output, '', '', 0, leaves);
  return { from: 'schema', leaves };
}

export interface Guesses {
  email?: Leaf;
  phone?: Leaf;
  firstName?: Leaf;
  lastName?: Leaf;
  /** a full name, split by the firstName/lastName transforms when there is no first or last name */
  fullName?: Leaf;
  company?: Leaf;
  recordId?: Leaf;
  date?: Leaf;
  /** the entity the payload is about (`candidate` of `candidate.id`), for titles and tags */
  subject?: string;
}

const norm = (key: string) => key.toLowerCase().replace(/[_-]/g, '');

const NAMES: Record<Exclude<keyof Guesses, 'recordId' | 'date' | 'subject'>, string[]> = {
  email: ['email', 'emailaddress', 'emails', 'mail', 'workemail'],
  phone: ['phone', 'phonenumber', 'phones', 'mobile', 'mobilephone', 'cell', 'telephone'],
  firstName: ['firstname', 'givenname', 'first'],
  lastName: ['lastname', 'familyname', 'surname', 'last'],
  fullName: ['name', 'fullname', 'displayname'],
  company: ['company', 'companyname', 'organization', 'organisation', 'employer', 'business'],
};

const depthOf = (leaf: Leaf) => leaf.path.split(/[.[]/).length;
const shallowest = (leaves: Leaf[]) => [...leaves].sort((a, b) => depthOf(a) - depthOf(b))[0];

/** The record's id: the shallowest `id`, else a `key`, else an `…Id`. */
function recordIdOf(leaves: Leaf[]): Leaf | undefined {
  const ids = leaves.filter((l) => l.kind !== 'object' && l.kind !== 'boolean');
  return shallowest(ids.filter((l) => norm(l.key) === 'id')) ?? shallowest(ids.filter((l) => norm(l.key) === 'key')) ?? shallowest(ids.filter((l) => /id$/i.test(l.key)));
}

/**
 * @example
 * guessFields(payloadFields(trigger).leaves); // { email: { path: 'candidate.email', … }, recordId: { path: 'candidate.id', … }, subject: 'candidate' }
 */
export function guessFields(leaves: Leaf[]): Guesses {
  const g: Guesses = {};
  g.recordId = recordIdOf(leaves);
  if (g.recordId && g.recordId.path.includes('.')) g.subject = g.recordId.path.split('.')[0]!.replace(/\[\d+\]$/, '');
  // the record's own fields first (`candidate.company`, not the account's top-level `company`), then shallow ones
  const rank = (l: Leaf) => (g.subject !== undefined && l.path.startsWith(`${g.subject}.`) ? 0 : 1);
  const best = (names: string[]) =>
    leaves
      .filter((l) => names.includes(norm(l.key)) && (l.kind === 'string' || l.kind === 'unknown'))
      .sort((a, b) => names.indexOf(norm(a.key)) - names.indexOf(norm(b.key)) || rank(a) - rank(b) || depthOf(a) - depthOf(b))[0];
  for (const field of Object.keys(NAMES) as Array<keyof typeof NAMES>) {
    const found = best(NAMES[field]);
    if (found) g[field] = found;
  }
  g.date = leaves.find((l) => l.kind === 'string' && (l.format === 'date-time' || l.format === 'date') && /due|date|at$|time/i.test(l.key))
    ?? leaves.find((l) => l.kind === 'string' && /^(dueDate|due_at|dueAt|createdAt|created_at|updatedAt|updated_at|timestamp|date)$/.test(l.key));
  if (g.subject === undefined && g.email?.path.includes('.')) g.subject = g.email.path.split('.')[0]!.replace(/\[\d+\]$/, '');
  return g;
}
