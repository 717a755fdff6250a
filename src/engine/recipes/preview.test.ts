import { describe, expect, it } from 'vitest';
import { evaluateRecipe } from './evaluate.js';
import { preview } from './preview.js';
import { parseRecipe } from './schema.js';
import type { Recipe } from './types.js';

const parsed = parseRecipe(`
id: preview
version: 2
trigger: { source: recruitee, events: [candidate.moved] }
connection: c
recordId: candidate.id
filter: { path: stage.name, in: [Offer, Hired] }
mapping:
  contact:
    firstName: { path: candidate.name, transforms: [firstName] }
    email: { path: candidate.email, transforms: [email] }
    phone: candidate.phone
    city: { path: candidate.city, default: Springfield }
    website: { path: candidate.site, when: { path: candidate.public, equals: true } }
    customFields:
      contact.stage: stage.name
actions:
  - type: note
    sourceId: { template: "n-{{candidate.id}}" }
    body: { template: "{{candidate.name}} moved to {{stage.name}}" }
`);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
const recipe: Recipe = parsed.recipe;
const sample = { candidate: { id: 7, name: 'Ada Lovelace', email: ' ADA@x.io ', phone: '12345', site: 'ada.io' }, stage: { name: 'Offer' } };

describe('preview', () => {
  it('is the evaluation plus, per field, the source value it came from', () => {
    const p = preview(recipe, sample, 'candidate.moved');
    const { fields, ...evaluation } = p;
    expect(evaluation).toEqual(evaluateRecipe(recipe, sample, 'candidate.moved'));
    expect(fields).toEqual([
      { field: 'mapping.contact.firstName', source: 'candidate.name', sourceValue: 'Ada Lovelace', status: 'mapped', value: 'Ada' },
      { field: 'mapping.contact.email', source: 'candidate.email', sourceValue: ' ADA@x.io ', status: 'mapped', value: 'ada@x.io' },
      { field: 'mapping.contact.phone', source: 'candidate.phone', sourceValue: '12345', status: 'mapped', value: '12345' },
      { field: 'mapping.contact.city', source: 'candidate.city', sourceValue: undefined, status: 'default', value: 'Springfield' },
      { field: 'mapping.contact.website', source: 'candidate.site', sourceValue: 'ada.io', status: 'skipped', message: 'the "when" condition does not hold' },
      { field: 'mapping.contact.customFields["contact.stage"]', source: 'stage.name', sourceValue: 'Offer', status: 'mapped', value: 'Offer' },
      { field: 'actions[0].sourceId', source: 'n-{{candidate.id}}', sourceValue: { 'candidate.id': 7 }, status: 'mapped', value: 'n-7' },
      {
        field: 'actions[0].body',
        source: '{{candidate.name}} moved to {{stage.name}}',
        sourceValue: { 'candidate.name': 'Ada Lovelace', 'stage.name': 'Offer' },
        status: 'mapped',
        value: 'Ada Lovelace moved to Offer',
      },
    ]);
  });

  it('shows missing values and errors per field', () => {
    const p = preview(recipe, { candidate: { id: 7, email: 'nope' }, stage: { name: 'Hired' } });
    expect(p.fields.find((f) => f.field === 'mapping.contact.email')).toEqual({
      field: 'mapping.contact.email', source: 'candidate.email', sourceValue: 'nope', status: 'error', message: 'email: invalid email "nope"',
    });
    expect(p.fields.find((f) => f.field === 'mapping.contact.firstName')).toMatchObject({ status: 'missing', message: 'no value at "candidate.name"' });
    expect(p.fields.find((f) => f.field === 'actions[0].body')).toMatchObject({ status: 'missing', message: 'template: no value for {{candidate.name}}' });
    expect(p.errors).toEqual([
      { field: 'mapping.contact.email', message: 'email: invalid email "nope"' },
      { field: 'actions[0].body', message: 'required: template: no value for {{candidate.name}}' },
    ]);
    expect(p.actions).toEqual([]);
  });

  it('says why an event does not match; without an event type only the filter decides', () => {
    expect(preview(recipe, sample, 'candidate.created')).toMatchObject({ matched: false, fields: [], reason: 'recipe preview does not handle event type candidate.created; it handles: candidate.moved' });
    expect(preview(recipe, { ...sample, stage: { name: 'Applied' } })).toMatchObject({ matched: false, reason: 'filter: stage.name in ["Offer","Hired"] is false (it is "Applied")' });
    expect(preview(recipe, sample).matched).toBe(true);
    expect('reason' in preview(recipe, sample)).toBe(false);
  });
});
