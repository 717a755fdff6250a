import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { CONTACT_FIELDS, parseRecipe, recipeJsonSchema, type ParseRecipeResult } from './schema.js';
import type { ContactField, Recipe } from './types.js';

const YAML_RECIPE = `
id: recruitee-candidates
version: 3
name: Recruitee candidates to contacts
trigger:
  source: recruitee
  events: [candidate.created, candidate.moved]
connection: dental-main
recordId: candidate.id
filter:
  not: { path: candidate.email, exists: false }
mapping:
  contact:
    firstName: { path: candidate.name, transforms: [firstName] }
    lastName: { path: candidate.name, transforms: [lastName] }
    email: { path: 'candidate.emails[0]', transforms: [email] }
    phone: { path: "candidate.phones[0]", transforms: [{ phone: { defaultCountry: US } }] }
    source: { value: Recruitee }
    customFields:
      contact.stage: { path: stage.name, default: Applied }
    tags: { path: stage.name, transforms: [{ map: { Hired: [employee], Offer: offer }, fallback: candidate }] }
actions:
  - type: upsertContact
  - type: tags
    add: { value: [recruitee] }
    managed: [employee, offer, candidate]
  - type: task
    sourceId: { template: "stage-{{candidate.id}}-{{stage.id}}" }
    title: { template: "{{candidate.name}} moved to {{stage.name}}" }
    dueDate: { path: stage.due, transforms: [{ date: { format: iso } }] }
    when: { path: stage.name, equals: Offer }
`;

function errors(result: ParseRecipeResult): string[] {
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
}

const minimal = { id: 'r', version: 1, trigger: { source: 'webhook:app' }, connection: 'loc', recordId: 'id', mapping: { contact: {} }, actions: [{ type: 'upsertContact' }] };
const withContact = (contact: Record<string, unknown>) => ({ ...minimal, mapping: { contact } });

describe('parseRecipe: reading', () => {
  it('reads YAML into a typed Recipe', () => {
    const result = parseRecipe(YAML_RECIPE.replace('    when: { path: stage.name, equals: Offer }\n', ''));
    expect(errors(result)).toEqual([]);
    if (!result.ok) return;
    expectTypeOf(result.recipe).toEqualTypeOf<Recipe>();
    expect(result.recipe.version).toBe(3);
    expect(result.recipe.mapping.contact.phone).toEqual({ path: 'candidate.phones[0]', transforms: [{ phone: { defaultCountry: 'US' } }] });
    expect(result.recipe.actions.map((a) => a.type)).toEqual(['upsertContact', 'tags', 'task']);
  });

  it('reads JSON text (detected or forced) and plain objects', () => {
    expect(parseRecipe(JSON.stringify(minimal))).toEqual({ ok: true, recipe: minimal });
    expect(parseRecipe(JSON.stringify(minimal), { format: 'yaml' })).toEqual({ ok: true, recipe: minimal });
    expect(parseRecipe(minimal)).toEqual({ ok: true, recipe: minimal });
    expect(errors(parseRecipe('id: r', { format: 'json' }))[0]).toMatch(/^: JSON: /);
  });

  it('reads paths with brackets as plain block scalars', () => {
    const result = parseRecipe(`${YAML_RECIPE.split('filter:')[0]}mapping:\n  contact:\n    email: candidate.emails[0]\nactions:\n  - type: upsertContact\n`);
    expect(result.ok && result.recipe.mapping.contact.email).toBe('candidate.emails[0]');
  });

  it('reports YAML syntax errors (the first three) and duplicate keys with their line', () => {
    expect(errors(parseRecipe('mapping: { email: { path: a[0], x: [b] } }')).length).toBeLessThanOrEqual(3);
    expect(errors(parseRecipe('id: a\nid: b\n'))).toEqual([': YAML: duplicate key "id" on line 2 (first on line 1)']);
    expect(errors(parseRecipe('a: [1\n'))[0]).toMatch(/^: YAML: .* at line \d+, column \d+$/);
    expect(errors(parseRecipe('a: 1\n---\nb: 2\n'))[0]).toContain('multiple documents');
  });

  it('refuses what is not an object', () => {
    expect(errors(parseRecipe('just text'))).toEqual([': a recipe is an object (a YAML mapping or JSON object), got string']);
    expect(errors(parseRecipe('- a'))).toEqual([': a recipe is an object (a YAML mapping or JSON object), got a list']);
    expect(errors(parseRecipe(''))).toEqual([': a recipe is an object (a YAML mapping or JSON object), got null']);
  });
});

describe('parseRecipe: bad input costs little', () => {
  it('refuses text over 64 KiB by its size, naming both', () => {
    const big = `id: r\nversion: 1\n${'k: v\n'.repeat(20_000)}`;
    expect(errors(parseRecipe(big))).toEqual([': the recipe is 97.67 KiB (100,017 bytes); the limit is 64 KiB']);
  });

  it('refuses control characters without echoing them', () => {
    const [message] = errors(parseRecipe('id: r\u001b]0;owned\u0007\nversion: 1\n'));
    expect(message).toMatch(/^: the text holds a control character \(U\+001B on line 1, column 6\)/);
    expect([...message!].filter((c) => c < ' ')).toEqual([]);
  });

  it('lists 50 problems of thousands, then how many more, and says unknown keys in one short message', () => {
    const fields = Array.from({ length: 1500 }, (_, i) => `      "bad key ${i}": { path: a }`).join('\n');
    const text = `${YAML_RECIPE.split('mapping:')[0]}mapping:\n  contact:\n    customFields:\n${fields}\nactions: [{ type: upsertContact }]\n`;
    const r = parseRecipe(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(51);
    expect(r.errors[0]!.path).toBe('mapping.contact.customFields["bad key 0"]');
    expect(r.errors[50]).toEqual({ path: '', message: 'and 1,450 more problems (fix the ones above first)', more: 1450 });
    const keys = parseRecipe({ ...minimal, ...Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`extra${i}`, 1])) });
    expect(keys.ok).toBe(false);
    if (keys.ok) return;
    expect(keys.errors).toHaveLength(1);
    expect(keys.errors[0]!.message).toMatch(/^unknown keys "extra0", .* "extra9" and 39,990 more \(allowed: id, version/);
    expect(keys.errors[0]!.message.length).toBeLessThan(400);
  });

  it('the yielding parser answers the same', async () => {
    const { parseRecipeYielding } = await import('./schema.js');
    for (const input of [YAML_RECIPE, 'id: a\nid: b\n', minimal, 'x: [1\n']) expect(await parseRecipeYielding(input)).toEqual(parseRecipe(input));
  });
});

describe('parseRecipe: errors carry the path of the problem', () => {
  it('names unknown transforms, with a suggestion', () => {
    const result = parseRecipe(YAML_RECIPE.replace('[{ phone: { defaultCountry: US } }]', '[phoen]'));
    expect(errors(result)).toContain('mapping.contact.phone.transforms[0]: unknown transform "phoen" (did you mean "phone"?)');
  });

  it('reads a recipe\'s alert overrides, strictly', () => {
    const alerts = { channels: ['ops'], failureRate: { threshold: 0.2, minRuns: 5 }, autoPause: { enabled: false } };
    const ok = parseRecipe({ ...minimal, alerts });
    expect(ok.ok && ok.recipe.alerts).toEqual(alerts);
    expect(errors(parseRecipe({ ...minimal, alerts: { autoPause: { ratio: 0.5 } } }))).toEqual(['alerts.autoPause.ratio: unknown key "ratio" (allowed: enabled, failureRatio, minRuns)']);
    expect(errors(parseRecipe({ ...minimal, alerts: { failureRate: { threshold: 2 } } }))[0]).toMatch(/^alerts\.failureRate\.threshold: /);
  });

  it('names unknown keys at any depth', () => {
    expect(errors(parseRecipe({ ...minimal, extra: 1 }))).toEqual([
      'extra: unknown key "extra" (allowed: id, version, name, description, enabled, trigger, connection, recordId, filter, mapping, actions, alerts)',
    ]);
    expect(errors(parseRecipe(YAML_RECIPE))).toEqual([]); // `when` on an action is a conditional action
    expect(errors(parseRecipe(YAML_RECIPE.replace('    when:', '    whn:')))).toEqual(['actions[2].whn: unknown key "whn" (did you mean "when"?)']);
    expect(errors(parseRecipe(withContact({ phon: 'a' })))).toEqual(['mapping.contact.phon: unknown key "phon" (did you mean "phone"?)']);
    expect(errors(parseRecipe(withContact({ email: { paht: 'a' } })))).toContain('mapping.contact.email.paht: unknown key "paht" (did you mean "path"?)');
    expect(errors(parseRecipe({ ...minimal, trigger: { source: 'x', a: 1, b: 2 } }))).toEqual(['trigger: unknown keys "a", "b" (allowed: source, events, schedule)']);
  });

  it('names bad action types and missing required action values', () => {
    const actions = [{ type: 'upsertContact' }, { type: 'tags' }, { type: 'tasks' }, { type: 'task', sourceId: 'id' }, {}, { type: 'deleteContact', policy: 'nuke' }, { type: 'note', sourceId: 'id', body: 5 }];
    expect(errors(parseRecipe({ ...minimal, actions }))).toEqual([
      'actions[1]: a tags action needs add, remove or managed',
      'actions[2].type: unknown action type "tasks" (did you mean "task"?); expected one of upsertContact, tags, task, note, completeTask, deleteContact, app',
      'actions[3].title: required',
      'actions[3].dueDate: required',
      'actions[4].type: required: one of upsertContact, tags, task, note, completeTask, deleteContact, app',
      'actions[5].policy: expected one of "delete"|"tag"',
      'actions[6].body: expected a path (text) or a value spec { path | template | value | now, transforms?, default?, when? }',
    ]);
    expect(errors(parseRecipe({ ...minimal, actions: [] }))).toEqual(['actions: a recipe needs at least one action']);
  });

  it('checks schedules', () => {
    expect(errors(parseRecipe({ ...minimal, trigger: { source: 'schedule', schedule: '0 9 * * MON-FRI' } }))).toEqual([]);
    expect(errors(parseRecipe({ ...minimal, trigger: { source: 'schedule', schedule: '60 * * * *' } }))).toEqual([
      'trigger.schedule: invalid schedule: minute field "60": 60 is out of range 0-59',
    ]);
    expect(errors(parseRecipe({ ...minimal, trigger: { source: 'schedule', schedule: '* * *' } }))[0]).toContain('expected 5 fields');
    expect(errors(parseRecipe({ ...minimal, trigger: { source: 'schedule' } }))).toEqual(['trigger.schedule: required when the source is "schedule"']);
  });

  it('checks transforms inside objects', () => {
    const transforms = [{ phone: { defaultCountry: 'XX' } }, { phone: { defaultCountry: 'us' } }, { map: { a: 1 }, fallback: 2, x: 1 }, { split: ',', join: ',' }, { date: { format: 'unix' } }, { phoen: {} }, 5];
    expect(errors(parseRecipe(withContact({ phone: { path: 'p', transforms } })))).toEqual([
      'mapping.contact.phone.transforms[0].phone.defaultCountry: unknown country "XX"',
      'mapping.contact.phone.transforms[1].phone.defaultCountry: expected a two-letter country code in capitals, e.g. "US"',
      'mapping.contact.phone.transforms[2].x: unknown key "x" (allowed: map, fallback)',
      'mapping.contact.phone.transforms[3]: one transform per item, found split and join',
      'mapping.contact.phone.transforms[4].date.format: expected one of "iso"|"date"',
      'mapping.contact.phone.transforms[5]: unknown transform "phoen" (did you mean "phone"?)',
      expect.stringMatching(/^mapping\.contact\.phone\.transforms\[6\]: a transform is a name/),
    ]);
  });

  it('checks value specs, paths, templates and custom field keys', () => {
    const contact = {
      email: 5, name: { path: 'a', template: 'b' }, city: {}, state: 'a..b', country: '{{x}}', website: { template: '{{a' },
      customFields: { 'Bad Key': 'x', 'contact.stage': { default: 'x' } },
    };
    expect(errors(parseRecipe(withContact(contact)))).toEqual([
      'mapping.contact.name: use only one of path, template',
      'mapping.contact.email: expected a path (text) or a value spec { path | template | value | now, transforms?, default?, when? }',
      'mapping.contact.city: needs a path, template, value or now (or a default)',
      'mapping.contact.state: invalid path "a..b": empty key at 2',
      'mapping.contact.country: invalid path "{{x}}": unexpected "{" at 0 (for a template write { template: "…" })',
      'mapping.contact.website.template: invalid template: unclosed "{{" at 0',
      'mapping.contact.customFields["Bad Key"]: invalid key: a custom field key is letters, digits, "_", "." and "-", e.g. contact.stage',
    ]);
    expect(errors(parseRecipe({ ...minimal, recordId: 'candidate.__proto__' }))).toEqual(['recordId: invalid path "candidate.__proto__": key "__proto__" is not allowed']);
  });

  it('checks conditions', () => {
    const filter = { all: [{ path: 'x', exist: true }, { path: 'y', exists: 'yes' }, { path: 'z' }, { path: 'a', equals: 1, exists: true }, { any: [] }, { not: { path: 'q', in: [] } }] };
    expect(errors(parseRecipe({ ...minimal, filter }))).toEqual([
      expect.stringMatching(/^filter\.all\[0\]: unknown key "exist" in a condition \(did you mean "exists"\?\)/),
      'filter.all[1].exists: expected boolean, received string',
      'filter.all[2]: a condition with a path needs exists, equals or in',
      'filter.all[3]: use only one of equals, exists in a condition',
      expect.stringMatching(/^filter\.all\[4\]\.any: Too small/),
      expect.stringMatching(/^filter\.all\[5\]\.not\.in: Too small/),
    ]);
  });

  it('checks the identity fields', () => {
    expect(errors(parseRecipe({ trigger: { source: 'x' }, mapping: { contact: {} }, actions: [{ type: 'upsertContact' }] }))).toEqual([
      'id: required', 'version: required', 'connection: required', 'recordId: required',
    ]);
    expect(errors(parseRecipe({ ...minimal, id: 'has space', version: 0 }))).toEqual([
      'id: an id is 1-100 letters, digits, ".", "_", ":" or "-"',
      expect.stringMatching(/^version: Too small/),
    ]);
  });
});

describe('CONTACT_FIELDS', () => {
  it('lists every ContactField', () => {
    expectTypeOf<(typeof CONTACT_FIELDS)[number]>().toEqualTypeOf<ContactField>();
    expect(new Set(CONTACT_FIELDS).size).toBe(17);
  });
});

describe('recipeJsonSchema', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(recipeJsonSchema());

  it('is draft 2020-12 with named definitions', () => {
    const schema = recipeJsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(schema.$defs as object).sort()).toEqual(['Action', 'Condition', 'Transform', 'ValueSpec']);
  });

  it('accepts what parseRecipe accepts', () => {
    const parsed = parseRecipe(YAML_RECIPE.replace('    when: { path: stage.name, equals: Offer }\n', ''));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(validate(parsed.recipe), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(minimal)).toBe(true);
  });

  it('refuses unknown keys, unknown transforms and unknown action types', () => {
    expect(validate({ ...minimal, extra: 1 })).toBe(false);
    expect(validate(withContact({ phone: { path: 'p', transforms: ['phoen'] } }))).toBe(false);
    expect(validate({ ...minimal, actions: [{ type: 'tasks' }] })).toBe(false);
    expect(validate({ ...minimal, filter: { all: [{ path: 'a', exist: true }] } })).toBe(false);
  });
});
