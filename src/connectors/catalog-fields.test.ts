import { describe, expect, it } from 'vitest';
import { buildCatalog, feedingTrigger } from './catalog.js';
import { findEntry, schemaFields, typeOf } from './catalog-fields.js';
import { ALL_CONNECTORS } from './index.js';

const catalog = buildCatalog(ALL_CONNECTORS);

describe('schema summaries', () => {
  it('names types: unions with null, enums, arrays, refs into $defs', () => {
    const root = { $defs: { Task: { type: 'object', properties: { id: { type: 'string' } } } } };
    expect(typeOf({ anyOf: [{ type: 'string' }, { type: 'null' }] }, root)).toBe('string | null');
    expect(typeOf({ type: ['string', 'null'] }, root)).toBe('string | null');
    expect(typeOf({ enum: ['a', 'b'] }, root)).toBe('one of a, b');
    expect(typeOf({ type: 'array', items: { type: 'integer' } }, root)).toBe('array of integer');
    expect(typeOf({ $ref: '#/$defs/Task' }, root)).toBe('object');
    expect(typeOf({ $ref: '#/$defs/Missing' }, root)).toBe('Missing');
    expect(typeOf({}, root)).toBe('any');
  });

  it('lists top-level fields with required marks, through a top-level $ref', () => {
    expect(schemaFields({ type: 'object', required: ['id'], properties: { id: { type: 'string', description: 'the id' }, n: { type: 'number' } } })).toEqual([
      { name: 'id', type: 'string', required: true, description: 'the id' },
      { name: 'n', type: 'number', required: false, description: null },
    ]);
    expect(schemaFields({ $ref: '#/$defs/A', $defs: { A: { type: 'object', properties: { x: { type: 'boolean' } } } } }).map((f) => f.name)).toEqual(['x']);
    expect(schemaFields({ type: 'object' })).toEqual([]);
    expect(schemaFields(null)).toEqual([]);
  });
});

describe('finding entries', () => {
  it('answers the entry, or a message with the closest id (or a pointer to ops list)', () => {
    expect(findEntry(catalog, 'erp.completeTask')).toMatchObject({ ok: true, entry: { id: 'erp.completeTask' } });
    expect(findEntry(catalog, 'erp.completeTsak')).toEqual({ ok: false, message: 'no operation "erp.completeTsak" (did you mean "erp.completeTask"?)' });
    expect(findEntry(catalog, 'zzz')).toEqual({ ok: false, message: 'no operation "zzz" (`ghl-bridge ops list` shows every id)' });
  });

  it('feeds a recipe trigger from its main webhook, a "your app" source from the default scheme, nothing for an unknown type', () => {
    expect(feedingTrigger(catalog, 'recruitee', 'candidate.created')?.id).toBe('recruitee.candidate.created');
    expect(feedingTrigger(catalog, 'recruitee', 'candidate.requalified')?.id).toBe('recruitee.candidate.disqualified');
    expect(feedingTrigger(catalog, 'connecteam', 'user.archived')?.id).toBe('connecteam.user.archived');
    expect(feedingTrigger(catalog, 'my-app', 'user.created')?.id).toBe('webhook.standard-webhooks');
    // no sample of this type: the "your app" trigger that takes any type, without a sample of it
    expect(feedingTrigger(catalog, 'my-app', 'invoice.paid')?.app).toBe('webhook');
    expect(feedingTrigger(catalog, 'erp', 'invoice.paid')).toBeNull();
  });
});
