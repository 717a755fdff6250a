import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import type { Contact } from './model.js';
import { compileFilters, matchesQuery, sortBy } from './search.js';

function contact(id: string, fields: Partial<Contact>): Contact {
  return { id, locationId: 'L', dnd: false, tags: [], customFields: [], followers: [], campaigns: [], workflows: [], type: 'lead', dateAdded: '2026-01-01T00:00:00.000Z', dateUpdated: '2026-01-01T00:00:00.000Z', ...fields };
}

const people = [
  contact('a', { firstName: 'Ada', email: 'Ada@Example.com', phone: '+14155552671', tags: ['vip', 'lead'], dateAdded: '2026-01-01T00:00:00.000Z' }),
  contact('b', { firstName: 'Bob', email: 'bob@example.org', tags: ['lead'], dateAdded: '2026-02-01T00:00:00.000Z', customFields: [{ id: 'cf1', value: 'gold' }] }),
  contact('c', { firstName: 'Cy', companyName: 'Acme', dateAdded: '2026-03-01T00:00:00.000Z' }),
];

const ids = (filters: Parameters<typeof compileFilters>[0]) => people.filter(compileFilters(filters, 'US')).map((c) => c.id);

describe('search filters', () => {
  it('eq is case-insensitive and phone-aware; tags match any element', () => {
    expect(ids([{ field: 'email', operator: 'eq', value: 'ada@example.com' }])).toEqual(['a']);
    expect(ids([{ field: 'phone', operator: 'eq', value: '(415) 555-2671' }])).toEqual(['a']);
    expect(ids([{ field: 'tags', operator: 'eq', value: 'lead' }])).toEqual(['a', 'b']);
    expect(ids([{ field: 'tags', operator: 'not_eq', value: 'vip' }])).toEqual(['b', 'c']);
  });

  it('supports contains, exists, range, custom fields and AND/OR groups', () => {
    expect(ids([{ field: 'email', operator: 'contains', value: 'example' }])).toEqual(['a', 'b']);
    expect(ids([{ field: 'companyName', operator: 'exists' }])).toEqual(['c']);
    expect(ids([{ field: 'email', operator: 'not_exists' }])).toEqual(['c']);
    expect(ids([{ field: 'dateAdded', operator: 'range', value: { gte: '2026-02-01T00:00:00.000Z' } }])).toEqual(['b', 'c']);
    expect(ids([{ field: 'customFields.cf1', operator: 'eq', value: 'GOLD' }])).toEqual(['b']);
    expect(ids([{ group: 'OR', filters: [{ field: 'firstName', operator: 'eq', value: 'cy' }, { field: 'tags', operator: 'eq', value: 'vip' }] }])).toEqual(['a', 'c']);
    expect(ids([{ field: 'tags', operator: 'eq', value: 'lead' }, { group: 'AND', filters: [{ field: 'email', operator: 'contains', value: '.org' }] }])).toEqual(['b']);
  });

  it('answers 400 Invalid field for unknown fields, like the live API', () => {
    try {
      compileFilters([{ field: 'additional_phones', operator: 'eq', value: 'x' }], 'US');
      expect.unreachable();
    } catch (e) {
      expect((e as ApiError).status).toBe(400);
      expect((e as ApiError).body.message).toBe('Invalid field additional_phones');
    }
  });

  it('sorts text with digits as text, not as dates', () => {
    const batches = [contact('x', { companyName: 'Batch 2' }), contact('y', { companyName: 'Batch 10' }), contact('z', { companyName: 'Main St 5' })];
    const { compare, key } = sortBy([{ field: 'companyName', direction: 'asc' }]);
    expect([...batches].sort(compare).map((c) => c.companyName)).toEqual(['Batch 10', 'Batch 2', 'Main St 5']);
    expect(key(batches[0]!)).toEqual(['batch 2', 'x']);
  });

  it('free-text query and sorting with an id tie-breaker', () => {
    expect(people.filter((c) => matchesQuery(c, 'acme')).map((c) => c.id)).toEqual(['c']);
    expect(people.filter((c) => matchesQuery(c, '555 2671')).map((c) => c.id)).toEqual(['a']);
    const { compare } = sortBy([{ field: 'dateAdded', direction: 'desc' }]);
    expect([...people].sort(compare).map((c) => c.id)).toEqual(['c', 'b', 'a']);
  });
});
