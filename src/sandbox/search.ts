import type { SearchFilter } from '../spec/index.js';
import { badRequest } from './errors.js';
import type { Contact } from './model.js';
import { phoneKey } from './phone.js';
import { fullName } from './contact-model.js';

/**
 * The filter grammar of POST /contacts/search as far as reports show it (ghl-api.md §2.3;
 * UNVERIFIED beyond eq/contains and AND/OR groups): `{field, operator, value}` and
 * `{group: 'AND'|'OR', filters}`. Unknown fields answer 400 "Invalid field X" like the live API.
 */
type Getter = (c: Contact) => unknown;

const FIELDS: Record<string, Getter> = {
  id: (c) => c.id,
  firstName: (c) => c.firstName,
  lastName: (c) => c.lastName,
  firstNameLowerCase: (c) => c.firstName?.toLowerCase(),
  lastNameLowerCase: (c) => c.lastName?.toLowerCase(),
  fullNameLowerCase: (c) => fullName(c)?.toLowerCase(),
  name: (c) => fullName(c),
  email: (c) => c.email,
  phone: (c) => c.phone,
  companyName: (c) => c.companyName,
  businessName: (c) => c.companyName,
  address: (c) => c.address1,
  address1: (c) => c.address1,
  city: (c) => c.city,
  state: (c) => c.state,
  country: (c) => c.country,
  postalCode: (c) => c.postalCode,
  website: (c) => c.website,
  source: (c) => c.source,
  type: (c) => c.type,
  timezone: (c) => c.timezone,
  assignedTo: (c) => c.assignedTo,
  businessId: (c) => c.businessId,
  tags: (c) => c.tags,
  followers: (c) => c.followers,
  dnd: (c) => c.dnd,
  dateAdded: (c) => c.dateAdded,
  dateUpdated: (c) => c.dateUpdated,
  dateOfBirth: (c) => c.dateOfBirth,
};

export const SEARCH_FIELDS = Object.keys(FIELDS);

function getter(field: string): Getter {
  const direct = FIELDS[field];
  if (direct) return direct;
  const custom = /^customFields?\.(.+)$/.exec(field);
  if (custom) return (c) => c.customFields.find((f) => f.id === custom[1])?.value;
  throw badRequest(`Invalid field ${field}`);
}

function norm(value: unknown, field: string, country: string): unknown {
  if (typeof value !== 'string') return value;
  if (field === 'phone') return phoneKey(value, country) ?? value;
  return value.toLowerCase();
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** Numbers, numeric strings and ISO dates (as epoch ms) compare as numbers; other text as text. */
function asComparable(value: unknown): number | string | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  if (NUMBER.test(value)) return Number(value);
  if (ISO_DATE.test(value)) {
    const t = Date.parse(value);
    if (!Number.isNaN(t)) return t;
  }
  return value;
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

export type Predicate = (c: Contact) => boolean;

/** Compiles filters (top level ANDed) into one predicate; throws 400/422 on bad filters. */
export function compileFilters(filters: SearchFilter[], country: string): Predicate {
  const parts = filters.map((f) => compileOne(f, country));
  return (c) => parts.every((p) => p(c));
}

function compileOne(filter: SearchFilter, country: string): Predicate {
  if ('group' in filter) {
    const parts = filter.filters.map((f) => compileOne(f, country));
    return filter.group === 'OR' ? (c) => parts.some((p) => p(c)) : (c) => parts.every((p) => p(c));
  }
  const get = getter(filter.field);
  const field = filter.field;
  const wanted = Array.isArray(filter.value) ? filter.value.map((v) => norm(v, field, country)) : [norm(filter.value, field, country)];
  const values = (c: Contact): unknown[] => {
    const v = get(c);
    return (Array.isArray(v) ? v : [v]).map((x) => norm(x, field, country));
  };
  switch (filter.operator) {
    case 'eq':
      return (c) => values(c).some((v) => wanted.some((w) => w === v));
    case 'not_eq':
      return (c) => !values(c).some((v) => wanted.some((w) => w === v));
    case 'contains':
      return (c) => values(c).some((v) => typeof v === 'string' && wanted.some((w) => typeof w === 'string' && v.includes(w)));
    case 'not_contains':
      return (c) => !values(c).some((v) => typeof v === 'string' && wanted.some((w) => typeof w === 'string' && v.includes(w)));
    case 'exists':
      return (c) => !isEmpty(get(c));
    case 'not_exists':
      return (c) => isEmpty(get(c));
    case 'range': {
      const r = (filter.value ?? {}) as Record<string, unknown>;
      const bound = (k: string) => (r[k] === undefined ? undefined : asComparable(r[k]));
      const [gt, gte, lt, lte] = [bound('gt'), bound('gte'), bound('lt'), bound('lte')];
      if ([gt, gte, lt, lte].every((b) => b === undefined)) throw badRequest(`range filter on ${field} needs gt, gte, lt or lte`);
      return (c) => {
        const v = asComparable(get(c));
        if (v === undefined) return false;
        return (gt === undefined || v > gt) && (gte === undefined || v >= gte) && (lt === undefined || v < lt) && (lte === undefined || v <= lte);
      };
    }
  }
}

/** Free-text `query`: name, email, phone or company contain it. */
export function matchesQuery(c: Contact, query: string | null | undefined): boolean {
  if (!query) return true;
  const q = query.toLowerCase().trim();
  const digits = q.replace(/\D/g, '');
  return (
    [fullName(c), c.email, c.companyName].some((v) => v?.toLowerCase().includes(q)) ||
    (digits.length >= 3 && (c.phone ?? '').replace(/\D/g, '').includes(digits))
  );
}

/** Sort comparator on fields; `id` breaks ties so `searchAfter` cursors are stable. */
export function sortBy(sort: Array<{ field: string; direction: 'asc' | 'desc' }>): { compare: (a: Contact, b: Contact) => number; key: (c: Contact) => Array<string | number> } {
  const keys = sort.map((s) => ({ get: getter(s.field), dir: s.direction === 'desc' ? -1 : 1 }));
  const value = (get: Getter, c: Contact): string | number => {
    const v = asComparable(get(c));
    return typeof v === 'string' ? v.toLowerCase() : v ?? '';
  };
  const key = (c: Contact) => [...keys.map((k) => value(k.get, c)), c.id];
  const compare = (a: Contact, b: Contact) => compareKeys(key(a), key(b), keys.map((k) => k.dir));
  return { compare, key };
}

export function compareKeys(a: Array<string | number>, b: Array<string | number>, dirs: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i];
    if (y === undefined) return 1;
    const dir = dirs[i] ?? 1;
    if (typeof x === typeof y) {
      if (x < y) return -dir;
      if (x > y) return dir;
    } else return (typeof x === 'number' ? -1 : 1) * dir;
  }
  return 0;
}
