import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../connectors/catalog.js';
import { ALL_CONNECTORS } from '../connectors/index.js';
import { parseRecipe } from '../engine/recipes/index.js';
import { DRAFT_ACTIONS, defaultRecipeId, draftRecipe, guessFields, payloadFields, scalar, type DraftTrigger } from './recipe-draft.js';

const catalog = buildCatalog(ALL_CONNECTORS);
const triggers = catalog.filter((e) => e.kind === 'trigger' && (e.events?.length ?? 0) > 0);

function parsed(text: string) {
  const r = parseRecipe(text, { format: 'yaml' });
  if (!r.ok) throw new Error(`${r.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}\n---\n${text}`);
  return r.recipe;
}

describe('draftRecipe', () => {
  it('has triggers to draft from', () => {
    expect(triggers.length).toBeGreaterThan(10);
  });

  it.each(triggers.map((t) => [t.id, t] as const))('%s: every event and every action give a recipe that parses', (_id, trigger) => {
    for (const event of trigger.events!.map((e) => (e === '*' ? 'user.created' : e))) {
      const recipe = parsed(draftRecipe({ trigger, event, source: trigger.app, connection: 'ghl-main', actions: [...DRAFT_ACTIONS], id: defaultRecipeId(trigger.app, event) }));
      expect(recipe.trigger).toEqual({ source: trigger.app, events: [event] });
      expect(recipe.actions.map((a) => a.type)).toEqual([...DRAFT_ACTIONS]);
      expect(recipe.connection).toBe('ghl-main');
    }
  });

  it('maps a Recruitee candidate from its payload schema: email, names, phone, company, recordId candidate.id; the rest commented out', () => {
    const trigger = { ...catalog.find((e) => e.id === 'recruitee.candidate.created')!, sample: null, samples: [] };
    const text = draftRecipe({ trigger, event: 'candidate.created', source: 'recruitee', connection: 'ghl-main', actions: ['upsertContact'], id: 'my-candidates' });
    const recipe = parsed(text);
    expect(recipe.recordId).toBe('candidate.id');
    expect(recipe.mapping.contact).toMatchObject({ email: { path: 'candidate.email', transforms: ['email'] }, firstName: 'candidate.firstName', lastName: 'candidate.lastName', phone: { path: 'candidate.phone' } });
    expect(recipe.filter).toEqual({ any: [{ path: 'candidate.email', exists: true }, { path: 'candidate.phone', exists: true }] });
    expect(text).toContain("payload schema");
    expect(text).toMatch(/^ {4}# customFields:/m);
  });

  it('starts from the sample when the catalog has one: its paths, a full name split, a date for the task, contact fields suggested by name', () => {
    const base = catalog.find((e) => e.id === 'webhook.standard-webhooks')!;
    const trigger: DraftTrigger = { ...base, sample: { type: 'user.created', payload: { type: 'user.created', data: { id: 'usr_1', email: 'ada@example.com', name: 'Ada Lovelace', mobile: '+1 512 555 0100', organization: 'Analytical', city: 'London', plan: 'pro', createdAt: '2026-12-01T10:00:00Z' } } } };
    const text = draftRecipe({ trigger, event: 'user.created', source: 'my-app', connection: 'ghl-main', actions: ['upsertContact', 'task', 'note'], id: 'signups' });
    const recipe = parsed(text);
    expect(text).toContain('sample event');
    expect(recipe.recordId).toBe('data.id');
    expect(recipe.mapping.contact).toEqual({
      email: { path: 'data.email', transforms: ['email'] },
      firstName: { path: 'data.name', transforms: ['firstName'] },
      lastName: { path: 'data.name', transforms: ['lastName'] },
      phone: { path: 'data.mobile', transforms: [{ phone: { defaultCountry: 'US' } }] },
      companyName: 'data.organization',
      source: { value: 'my-app' },
    });
    expect(text).toContain('    # city: { path: data.city }');
    expect(text).toContain('    #   contact.plan: data.plan');
    const task = recipe.actions.find((a) => a.type === 'task')!;
    expect(task).toMatchObject({ sourceId: { template: 'signups-task-{{data.id}}' }, title: { template: 'Follow up {{data.name}}' }, dueDate: { now: '+2bd', at: '09:00' } });
    expect(text).toContain('# or from the payload: { path: data.createdAt, transforms: [{ date: { add: "+2d" } }] }');
    expect(recipe.actions.find((a) => a.type === 'note')).toMatchObject({ sourceId: { template: 'signups-note-{{data.id}}' } });
  });

  it('without an id or a date field: recordId points at a guess and says so, the task is due two business days after the event', () => {
    const base = { ...catalog.find((e) => e.id === 'webhook.stripe')!, sample: null, samples: [], output: { type: 'object', properties: { type: { type: 'string' }, amount: { type: 'number' } } } };
    const text = draftRecipe({ trigger: base, event: 'customer.created', source: 'billing', connection: 'ghl-2', actions: ['task'], id: 'billing' });
    const recipe = parsed(text);
    expect(recipe.recordId).toBe('data.id');
    expect(text).toContain('no id field was found');
    expect(recipe.actions[0]).toMatchObject({ type: 'task', dueDate: { now: '+2bd', at: '09:00' } });
  });
});

describe('pieces', () => {
  it('payloadFields reads nested objects and arrays from a schema; guessFields prefers the shallow field', () => {
    const trigger = { ...catalog.find((e) => e.id === 'webhook.github')!, sample: null, samples: [], output: { type: 'object', properties: { order: { type: 'object', properties: { id: { type: 'string' }, buyer: { type: 'object', properties: { email: { type: 'string' } } }, emails: { type: 'array', items: { type: 'string' } } } } } } };
    const { from, leaves } = payloadFields(trigger);
    expect(from).toBe('schema');
    expect(leaves.map((l) => l.path)).toEqual(['order.id', 'order.buyer.email', 'order.emails[0]']);
    expect(guessFields(leaves)).toMatchObject({ email: { path: 'order.buyer.email' }, recordId: { path: 'order.id' }, subject: 'order' });
  });

  it('scalar quotes what YAML would read otherwise', () => {
    expect(scalar('candidate.email')).toBe('candidate.email');
    expect(scalar('emails[0]')).toBe('"emails[0]"');
    expect(scalar('yes')).toBe('"yes"');
    expect(scalar('INSTALL')).toBe('INSTALL');
    expect(defaultRecipeId('my-app', '*')).toBe('my-app-events');
  });
});
