import { describe, expect, it } from 'vitest';
import { evaluateRecipe, traceRecipe } from './evaluate.js';
import { parseRecipe } from './schema.js';
import type { Recipe } from './types.js';

function recipe(yaml: string): Recipe {
  const parsed = parseRecipe(yaml);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return parsed.recipe;
}

const RECRUITEE = recipe(`
id: recruitee-candidates
version: 1
trigger: { source: recruitee, events: [candidate.created, candidate.moved] }
connection: dental
recordId: candidate.id
filter: { path: candidate.deleted, exists: false }
mapping:
  contact:
    firstName: { path: candidate.name, transforms: [firstName] }
    lastName: { path: candidate.name, transforms: [lastName] }
    email: { path: 'candidate.emails[0]', transforms: [email] }
    phone: { path: 'candidate.phones[0]', transforms: [{ phone: { defaultCountry: US } }] }
    dateOfBirth: { path: candidate.born, transforms: [{ date: { format: date } }] }
    companyName: candidate.company
    source: { value: Recruitee }
    dnd: { path: candidate.optOut, default: false }
    customFields:
      contact.stage: { path: stage.name, default: Applied }
      contact.rating: { path: candidate.rating, transforms: [number] }
      contact.offer_note: { template: "{{candidate.name}} got an offer", when: { path: stage.name, equals: Offer } }
    tags:
      path: stage.name
      transforms: [{ map: { Hired: [Employee, ' Onboarding '], Offer: OFFER } }]
      default: [Candidate, candidate]
actions:
  - type: upsertContact
  - type: tags
    add: { path: candidate.labels, transforms: [{ split: ',' }] }
    remove: { value: Prospect }
    managed: [Employee, offer]
  - type: task
    sourceId: { template: "stage-{{candidate.id}}-{{stage.id}}" }
    title: { template: "{{candidate.name}} moved to {{stage.name}}" }
    dueDate: stage.due
    body: candidate.summary
    completed: stage.done
  - type: note
    sourceId: { template: "note-{{candidate.id}}" }
    body: { template: "Applied for {{job.title}}" }
  - type: completeTask
    sourceId: { template: "stage-{{candidate.id}}-{{stage.previousId}}" }
  - type: deleteContact
    policy: tag
`);

const PAYLOAD = {
  candidate: {
    id: 4711, name: '  Ada  King Lovelace ', emails: [' Ada@Example.COM '], phones: ['(415) 555-2671'], born: '1815-12-10T00:00:00Z',
    company: 'Analytical Engines', rating: '4.5', labels: 'Remote, Senior ,', summary: 'Strong candidate',
  },
  stage: { id: 9, previousId: 8, name: 'Offer', due: '2026-12-01', done: 'no' },
  job: { title: 'Engineer' },
};

describe('evaluateRecipe: a full event', () => {
  const result = evaluateRecipe(RECRUITEE, PAYLOAD, 'candidate.moved');

  it('matches and reads the record id', () => {
    expect(result.matched).toBe(true);
    expect(result.recordId).toBe('4711');
    expect(result.errors).toEqual([]);
  });

  it('maps contact fields, custom fields by key and normalised tags', () => {
    expect(result.contact).toEqual({
      firstName: 'Ada',
      lastName: 'King Lovelace',
      email: 'ada@example.com',
      phone: '+14155552671',
      dateOfBirth: '1815-12-10',
      companyName: 'Analytical Engines',
      source: 'Recruitee',
      dnd: false,
      customFields: [
        { key: 'contact.stage', field_value: 'Offer' },
        { key: 'contact.rating', field_value: 4.5 },
        { key: 'contact.offer_note', field_value: '  Ada  King Lovelace  got an offer' },
      ],
      tags: ['offer'],
    });
  });

  it('resolves every action', () => {
    expect(result.actions).toEqual([
      { type: 'upsertContact' },
      { type: 'tags', add: ['remote', 'senior'], remove: ['prospect'], managed: ['employee', 'offer'] },
      {
        type: 'task',
        sourceId: 'stage-4711-9',
        fields: { title: '  Ada  King Lovelace  moved to Offer', dueDate: '2026-12-01T00:00:00.000Z', body: 'Strong candidate', completed: false },
      },
      { type: 'note', sourceId: 'note-4711', fields: { body: 'Applied for Engineer' } },
      { type: 'completeTask', sourceId: 'stage-4711-8', completed: true },
      { type: 'deleteContact', policy: 'tag', tag: 'inactive' },
    ]);
  });

  it('is pure: the same input gives the same output, and the payload is untouched', () => {
    const copy = structuredClone(PAYLOAD);
    expect(evaluateRecipe(RECRUITEE, copy, 'candidate.moved')).toEqual(result);
    expect(copy).toEqual(PAYLOAD);
  });
});

describe('evaluateRecipe: matching', () => {
  it('does not match other event types, or when the filter excludes the event', () => {
    const other = evaluateRecipe(RECRUITEE, PAYLOAD, 'candidate.deleted');
    expect(other).toEqual({ matched: false, recordId: '4711', contact: {}, actions: [], errors: [], skip: { code: 'event-type', message: 'recipe recruitee-candidates does not handle event type candidate.deleted; it handles: candidate.created, candidate.moved' } });
    const filtered = evaluateRecipe(RECRUITEE, { ...PAYLOAD, candidate: { ...PAYLOAD.candidate, deleted: true } }, 'candidate.moved');
    expect(filtered.matched).toBe(false);
    expect(traceRecipe(RECRUITEE, PAYLOAD, 'x').reason).toBe('recipe recruitee-candidates does not handle event type x; it handles: candidate.created, candidate.moved');
    expect(filtered.skip?.code).toBe('filter');
  });

  it('matches every event type when the trigger lists none', () => {
    const all = { ...RECRUITEE, trigger: { source: 'recruitee' }, filter: undefined };
    expect(evaluateRecipe(all, PAYLOAD, 'anything').matched).toBe(true);
    expect(evaluateRecipe({ ...all, trigger: { source: 'recruitee', events: [] } }, PAYLOAD, 'anything').matched).toBe(true);
  });
});

describe('evaluateRecipe: missing and bad values', () => {
  it('leaves out missing optional fields without errors', () => {
    const result = evaluateRecipe(RECRUITEE, { candidate: { id: 'c1', name: 'Ada' }, stage: { id: 1, due: '2026-12-01' }, job: { title: 'X' } }, 'candidate.created');
    expect(result.errors).toEqual([
      { field: 'actions[2].title', message: 'required: template: no value for {{stage.name}}' },
      { field: 'actions[4].sourceId', message: 'required: template: no value for {{stage.previousId}}' },
    ]);
    expect(result.contact).toEqual({
      firstName: 'Ada', source: 'Recruitee', dnd: false,
      customFields: [{ key: 'contact.stage', field_value: 'Applied' }],
      tags: ['candidate'],
    });
    expect(result.actions.map((a) => a.type)).toEqual(['upsertContact', 'tags', 'note', 'deleteContact']);
    // the mapped `add` is missing: the managed tags are kept, not stripped (explicit removals still apply)
    expect(result.actions[1]).toEqual({ type: 'tags', add: [], remove: ['prospect'], managed: [] });
  });

  it('reports a missing record id and required action values, never throwing', () => {
    for (const payload of [undefined, null, 'text', 42, [], {}]) {
      const result = evaluateRecipe(RECRUITEE, payload, 'candidate.created');
      expect(result.recordId).toBeNull();
      expect(result.errors.map((e) => e.field)).toEqual(['recordId', 'actions[2].sourceId', 'actions[2].title', 'actions[2].dueDate', 'actions[3].sourceId', 'actions[3].body', 'actions[4].sourceId']);
      expect(result.errors[0]).toEqual({ field: 'recordId', message: 'required: no value at "candidate.id"' });
      expect(result.actions.map((a) => a.type)).toEqual(['upsertContact', 'tags', 'deleteContact']);
    }
  });

  it('treats a blank record id as missing', () => {
    const result = evaluateRecipe(RECRUITEE, { candidate: { id: '  ' } }, 'candidate.created');
    expect(result.recordId).toBeNull();
    expect(result.errors[0]).toEqual({ field: 'recordId', message: 'required: no value at "candidate.id"' });
  });

  it('reports values that cannot be used, leaving out only that field', () => {
    const payload = {
      candidate: { id: { nested: true }, name: ['Ada'], emails: ['not-an-email'], phones: ['12345'], born: '10/12/1815', rating: 'great', optOut: 'maybe' },
      stage: { id: 1, previousId: 0, name: 'Offer', due: 'soon', done: 'perhaps' },
      job: { title: 'X' },
    };
    const result = evaluateRecipe(RECRUITEE, payload, 'candidate.moved');
    // lastName of the list ['Ada'] is an empty list: missing, so left out without an error
    expect(result.errors).toEqual([
      { field: 'recordId', message: 'expected a text or number id at "candidate.id", got object' },
      { field: 'mapping.contact.firstName', message: 'expected one value, got a list (pick an item with [0], or use the join transform)' },
      { field: 'mapping.contact.email', message: 'email: invalid email "not-an-email"' },
      { field: 'mapping.contact.phone', message: 'phone: "12345" is not a valid phone number for default country US' },
      { field: 'mapping.contact.dateOfBirth', message: expect.stringContaining('date: unrecognised date "10/12/1815"') },
      { field: 'mapping.contact.dnd', message: 'not a yes/no value: "maybe"' },
      { field: 'mapping.contact.customFields["contact.rating"]', message: 'number: not a number: "great"' },
      { field: 'actions[2].dueDate', message: expect.stringContaining('unrecognised date "soon"') },
      { field: 'actions[2].completed', message: 'not a yes/no value: "perhaps"' },
    ]);
    expect(result.contact).toEqual({
      source: 'Recruitee',
      customFields: [{ key: 'contact.stage', field_value: 'Offer' }, { key: 'contact.offer_note', field_value: 'Ada got an offer' }],
      tags: ['offer'],
    });
    expect(result.actions.map((a) => a.type)).toEqual(['upsertContact', 'tags', 'note', 'completeTask', 'deleteContact']);
  });

  it('keeps an action whose optional value is bad, without that value', () => {
    const r = recipe(`
id: t
version: 1
trigger: { source: x }
connection: c
recordId: id
mapping: { contact: {} }
actions:
  - { type: task, sourceId: id, title: { value: Call }, dueDate: due, completed: done, assignedTo: { value: [a, b] } }
`);
    const result = evaluateRecipe(r, { id: 1, due: 1772323200, done: 'perhaps' }, 'e');
    expect(result.actions).toEqual([{ type: 'task', sourceId: '1', fields: { title: 'Call', dueDate: '2026-03-01T00:00:00.000Z' } }]);
    expect(result.errors.map((e) => e.field)).toEqual(['actions[0].completed', 'actions[0].assignedTo']);
  });
});

describe('evaluateRecipe: tags', () => {
  const r = (mapping: string, actions: string) =>
    recipe(`id: t\nversion: 1\ntrigger: { source: x }\nconnection: c\nrecordId: id\nmapping:\n  contact:\n${mapping}\nactions:\n${actions}\n`);

  it('normalises contact tags from text or lists, and leaves out an empty list', () => {
    const tags = r('    tags: labels', '  - type: upsertContact');
    expect(evaluateRecipe(tags, { id: 1, labels: ' VIP ' }, 'e').contact).toEqual({ tags: ['vip'] });
    expect(evaluateRecipe(tags, { id: 1, labels: ['VIP', 'vip ', 'New Hire', '', null, 7] }, 'e').contact).toEqual({ tags: ['vip', 'new hire', '7'] });
    expect(evaluateRecipe(tags, { id: 1, labels: [] }, 'e').contact).toEqual({});
    expect(evaluateRecipe(tags, { id: 1, labels: [' '] }, 'e').contact).toEqual({});
    expect(evaluateRecipe(tags, { id: 1, labels: [{ name: 'x' }] }, 'e').errors).toEqual([{ field: 'mapping.contact.tags', message: 'a tag must be text, got an object' }]);
  });

  it('normalises the deleteContact tag and the managed list', () => {
    const del = r('    {}', '  - { type: deleteContact, policy: delete, tag: " Former Employee " }\n  - { type: tags, managed: [A, " a ", B] }');
    expect(evaluateRecipe(del, { id: 1 }, 'e').actions).toEqual([
      { type: 'deleteContact', policy: 'delete', tag: 'former employee' },
      { type: 'tags', add: [], remove: [], managed: ['a', 'b'] },
    ]);
  });
});

describe('evaluateRecipe: values', () => {
  const r = (fields: string) => recipe(`id: t\nversion: 1\ntrigger: { source: x }\nconnection: c\nrecordId: id\nmapping:\n  contact:\n${fields}\nactions:\n  - type: upsertContact\n`);

  it('applies defaults only when the value is missing after the transforms', () => {
    const rec = r("    city: { path: city, transforms: [trim], default: Springfield }\n    state: { path: state, transforms: [{ map: { California: CA } }], default: ZZ }");
    expect(evaluateRecipe(rec, { id: 1, city: ' Paris ', state: 'California' }, 'e').contact).toEqual({ city: 'Paris', state: 'CA' });
    expect(evaluateRecipe(rec, { id: 1, city: '   ', state: 'Texas' }, 'e').contact).toEqual({ city: 'Springfield', state: 'ZZ' });
    expect(evaluateRecipe(rec, { id: 1, city: null }, 'e').contact).toEqual({ city: 'Springfield', state: 'ZZ' });
  });

  it('applies when conditions', () => {
    const rec = r("    website: { path: site, when: { path: public, equals: true } }\n    country: { default: US, when: { not: { path: country, exists: true } } }");
    expect(evaluateRecipe(rec, { id: 1, site: 'x.io', public: true }, 'e').contact).toEqual({ website: 'x.io', country: 'US' });
    expect(evaluateRecipe(rec, { id: 1, site: 'x.io', public: false, country: 'GB' }, 'e').contact).toEqual({});
  });

  it('writes numbers and booleans of text fields as text, and keeps custom field values as they are', () => {
    const rec = r("    postalCode: zip\n    customFields:\n      contact.skills: skills\n      contact.age: age");
    expect(evaluateRecipe(rec, { id: 1, zip: 90210, skills: ['a', 'b'], age: 41 }, 'e').contact).toEqual({
      postalCode: '90210',
      customFields: [{ key: 'contact.skills', field_value: ['a', 'b'] }, { key: 'contact.age', field_value: 41 }],
    });
  });
});
