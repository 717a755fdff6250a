import { describe, expect, it } from 'vitest';
import { evaluateRecipe, traceRecipe } from './evaluate.js';
import { parseRecipe } from './schema.js';
import { applyTransform } from './transforms.js';
import type { Recipe } from './types.js';

const base = `
id: dates
version: 1
trigger: { source: app }
connection: ghl
recordId: user.id
mapping:
  contact:
    email: user.email
`;

function recipe(actions: string, contact = ''): Recipe {
  const parsed = parseRecipe(`${base}${contact}actions:\n${actions}`);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return parsed.recipe;
}

function problems(actions: string, contact = ''): string[] {
  const parsed = parseRecipe(`${base}${contact}actions:\n${actions}`);
  return parsed.ok ? [] : parsed.errors.map((e) => `${e.path}: ${e.message}`);
}

const eventTime = new Date('2026-03-06T15:00:00.000Z'); // a Friday
const payload = { user: { id: 'u1', email: 'ada@x.io', name: 'ada LOVELACE', created: '2026-03-01T08:00:00Z', born: '1990-12-10T23:30:00-05:00', stage: 'Offer' } };

describe('dates: now, offsets, start of day, clock times, time zones', () => {
  it('reads now as the event time, so one event always maps the same due date', () => {
    const r = recipe(`  - type: upsertContact
  - { type: task, sourceId: { value: welcome }, title: { value: Welcome }, dueDate: { now: "+2d" } }
  - { type: task, sourceId: { value: call }, title: { value: Call }, dueDate: { now: "+2bd", at: "09:00", timeZone: America/New_York } }
  - { type: task, sourceId: { value: later }, title: { value: Later }, dueDate: { path: user.created, transforms: [{ date: { add: "+3h" } }] } }
  - { type: task, sourceId: { value: day }, title: { value: Day }, dueDate: { path: user.created, transforms: [{ date: { startOf: day, timeZone: Europe/Oslo } }] } }
  - { type: task, sourceId: { value: exact }, title: { value: Exact }, dueDate: { now: true } }
`);
    const first = evaluateRecipe(r, payload, 'user.created', { eventTime });
    expect(first.errors).toEqual([]);
    expect(first.actions.flatMap((a) => (a.type === 'task' ? [[a.sourceId, a.fields.dueDate]] : []))).toEqual([
      ['welcome', '2026-03-08T15:00:00.000Z'],
      ['call', '2026-03-10T13:00:00.000Z'],
      ['later', '2026-03-01T11:00:00.000Z'],
      ['day', '2026-02-28T23:00:00.000Z'],
      ['exact', '2026-03-06T15:00:00.000Z'],
    ]);
    // the same event evaluated later (a replay) maps the same dates
    expect(evaluateRecipe(r, payload, 'user.created', { eventTime: new Date(eventTime) })).toEqual(first);
  });

  it('uses the current time for a payload that was never stored (a dry run)', () => {
    const r = recipe('  - { type: task, sourceId: { value: a }, title: { value: A }, dueDate: { now: "+2d" } }\n');
    const before = Date.now();
    const e = evaluateRecipe(r, payload, 'user.created');
    const due = e.actions[0]?.type === 'task' ? Date.parse(e.actions[0].fields.dueDate) : NaN;
    expect(due).toBeGreaterThanOrEqual(before + 2 * 86_400_000);
    expect(due).toBeLessThanOrEqual(Date.now() + 2 * 86_400_000);
  });

  it('writes dateOfBirth as YYYY-MM-DD, and a date in a zone as that zone\'s calendar date', () => {
    const r = recipe('  - type: upsertContact\n', '    dateOfBirth: user.born\n    customFields:\n      oslo.day: { now: true, transforms: [{ date: { timeZone: Pacific/Auckland, format: date } }] }\n');
    const e = evaluateRecipe(r, payload, 'user.created', { eventTime });
    expect(e.contact).toMatchObject({ dateOfBirth: '1990-12-10', customFields: [{ key: 'oslo.day', field_value: '2026-03-07' }] });
    const bad = evaluateRecipe(r, { user: { ...payload.user, born: '12/10/1990' } }, 'user.created', { eventTime });
    expect(bad.errors).toEqual([{ field: 'mapping.contact.dateOfBirth', message: expect.stringContaining('unrecognised date "12/10/1990"') }]);
  });

  it('refuses bad offsets, clock times and zones, naming the field (with a did-you-mean)', () => {
    expect(problems('  - { type: task, sourceId: a, title: A, dueDate: { now: "2 days" } }\n')).toEqual([
      'actions[0].dueDate.now: invalid offset "2 days": expected a sign, a number and a unit (m, h, d, w or bd for business days), e.g. "+2d", "-3h", "+2bd"',
    ]);
    expect(problems('  - { type: task, sourceId: a, title: A, dueDate: { now: false } }\n')).toEqual([
      'actions[0].dueDate.now: now is true (the event\'s time) or an offset such as "+2d", "-3h", "+2bd"',
    ]);
    expect(problems('  - { type: task, sourceId: a, title: A, dueDate: { now: "+2d", timeZone: Europe/Olso } }\n')).toEqual([
      'actions[0].dueDate.timeZone: unknown time zone "Europe/Olso" (did you mean "Europe/Oslo"?)',
    ]);
    expect(problems('  - { type: task, sourceId: a, title: A, dueDate: { now: "+2d", at: "9am" } }\n')).toEqual([
      'actions[0].dueDate.at: invalid time "9am": expected HH:MM (24 h), e.g. "09:00"',
    ]);
    expect(problems('  - { type: task, sourceId: a, title: A, dueDate: { path: user.created, at: "09:00" } }\n')).toEqual([
      'actions[0].dueDate.at: at goes with now (for a path or template use the transform { date: { at } })',
    ]);
    expect(problems('  - { type: task, sourceId: a, title: A, dueDate: { path: user.created, transforms: [{ date: { add: "+3x", startOf: month } }] } }\n')).toEqual([
      'actions[0].dueDate.transforms[0].date.add: invalid offset "+3x": expected a sign, a number and a unit (m, h, d, w or bd for business days), e.g. "+2d", "-3h", "+2bd"',
      'actions[0].dueDate.transforms[0].date.startOf: startOf is hour, day or week',
    ]);
  });
});

describe('titleCase', () => {
  it('capitalises each word and each part of a hyphenated or apostrophe name', () => {
    expect(applyTransform('ada LOVELACE', 'titleCase')).toEqual({ ok: true, value: 'Ada Lovelace' });
    expect(applyTransform("o'neil-smith", 'titleCase')).toEqual({ ok: true, value: "O'Neil-Smith" });
    expect(applyTransform("ada's  ÉCOLE", 'titleCase')).toEqual({ ok: true, value: "Ada's  École" });
    expect(applyTransform(['jean-luc picard'], 'titleCase')).toEqual({ ok: true, value: ['Jean-Luc Picard'] });
    expect(problems('  - type: upsertContact\n', '    firstName: { path: user.name, transforms: [titlecase] }\n')).toEqual([
      'mapping.contact.firstName.transforms[0]: unknown transform "titlecase" (did you mean "titleCase"?)',
    ]);
  });
});

describe('when on actions', () => {
  const r = () => recipe(`  - type: upsertContact
  - { type: task, sourceId: { value: offer }, title: { value: Offer }, dueDate: { now: "+1d" }, when: { path: user.stage, equals: Hired } }
  - { type: tags, add: { value: offer }, when: { path: user.stage, in: [Offer, Hired] } }
`);

  it('plans an action only when its condition holds, and says which condition was false', () => {
    const e = evaluateRecipe(r(), payload, 'user.created', { eventTime });
    expect(e.actions.map((a) => a.type)).toEqual(['upsertContact', 'tags']);
    expect(e.skipped).toEqual([{ action: 'actions[1] (task)', reason: 'its "when" does not hold: user.stage equals "Hired" is false (it is "Offer")' }]);
    const hired = evaluateRecipe(r(), { user: { ...payload.user, stage: 'Hired' } }, 'user.created', { eventTime });
    expect(hired.actions.map((a) => a.type)).toEqual(['upsertContact', 'task', 'tags']);
    expect(hired.skipped).toBeUndefined();
  });

  it('takes a when on every action type, checked like a filter', () => {
    for (const action of ['{ type: upsertContact', '{ type: deleteContact, policy: tag', '{ type: completeTask, sourceId: a', '{ type: note, sourceId: a, body: b', '{ type: app, connection: c, action: x.y']) {
      expect(problems(`  - ${action}, when: { path: user.stage, equals: Offer } }\n`), action).toEqual([]);
    }
    expect(problems('  - { type: upsertContact, when: { path: user.stage, equal: Offer } }\n')).toEqual([
      'actions[0].when: unknown key "equal" in a condition (did you mean "equals"?); a condition is { path, exists }, { path, equals }, { path, in }, { all: [...] }, { any: [...] } or { not: {...} }',
    ]);
  });
});

describe('step outputs', () => {
  it('defers a value that reads an earlier step, showing a placeholder', () => {
    const r = recipe(`  - type: upsertContact
  - { type: note, id: welcome, sourceId: { value: n1 }, body: { template: "GHL contact {{steps.contact.id}} for {{user.name}}" } }
  - type: app
    connection: my-app
    action: my-app.writeBack
    input: { userId: user.id, ghlContactId: steps.contact.id, noteId: steps.welcome.id }
`);
    const { evaluation, fields } = traceRecipe(r, payload, 'user.created', { eventTime });
    expect(evaluation.errors).toEqual([]);
    expect(evaluation.actions[1]).toMatchObject({ type: 'note', id: 'welcome', fields: { body: '<steps.contact.id: not known: no planned step produces it>' }, deferred: [{ key: 'body', field: 'actions[1].body', refs: ['steps.contact.id'], required: true, kind: 'text' }] });
    expect(evaluation.actions[2]).toMatchObject({ type: 'app', input: { userId: 'u1' }, deferred: [{ key: 'ghlContactId', kind: 'any' }, { key: 'noteId' }] });
    expect(fields.find((f) => f.field === 'actions[1].body')).toMatchObject({ status: 'deferred', message: 'reads steps.contact.id: filled in when that step has run' });
  });

  it('refuses a reference to a step that does not come earlier, or in a field needed to plan', () => {
    expect(problems(`  - { type: note, sourceId: n1, body: steps.contact.id }
  - type: upsertContact
`)).toEqual(['actions[0].body: steps.contact.id: "contact" is not an earlier step (earlier steps: none; a step is named by the id of its action, the upsertContact step is "contact")']);
    expect(problems(`  - type: upsertContact
  - { type: note, sourceId: n1, body: "steps.later.id" }
  - { type: note, id: later, sourceId: n2, body: x }
`)).toEqual(['actions[1].body: steps.later.id: "later" is not an earlier step (earlier steps: steps.contact; a step is named by the id of its action, the upsertContact step is "contact")']);
    expect(problems(`  - type: upsertContact
  - { type: task, sourceId: steps.contact.id, title: x, dueDate: { now: "+1d" } }
  - { type: note, sourceId: n1, body: steps.contact.email }
`)).toEqual([
      'actions[1].sourceId: steps.contact.id: sourceId is needed to plan the step, before any step runs; step outputs can be read in title, body, assignedTo',
      'actions[2].body: steps.contact.email: the upsertContact step gives only its GHL id: steps.contact.id (or steps.contact, the object { id })',
    ]);
    expect(problems('  - type: upsertContact\n', '    website: { template: "https://x.io/{{steps.contact.id}}" }\n')).toEqual([
      'mapping.contact.website: steps.contact.id: the contact mapping cannot read step outputs (it is written by the first step); use them in a later action\'s title, body or input',
    ]);
    expect(problems(`  - type: upsertContact
  - { type: note, id: contact, sourceId: n1, body: x }
  - { type: note, id: n, sourceId: n1, body: x }
  - { type: note, id: n, sourceId: n2, body: x, when: { path: steps.n.id, exists: true } }
`)).toEqual([
      'actions[1].id: "contact" is already the upsertContact step\'s name',
      'actions[3].when: a "when" condition reads the event; steps.… outputs are not known when it is checked',
      'actions[3].id: step id "n" is used by an earlier action',
    ]);
  });
});
