import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../connectors/catalog.js';
import { ALL_CONNECTORS } from '../../../connectors/index.js';
import { parseRecipe } from '../schema.js';
import { ACTION_CHOICES, DRAFT_ACTIONS, TRANSFORM_CHOICES, draftRecipe, DraftError, flow, transformsOf } from './index.js';

const trigger = buildCatalog(ALL_CONNECTORS).find((e) => e.id === 'webhook.standard-webhooks')!;
const base = { trigger, event: 'user.created', source: 'my-app', connection: 'ghl-main', id: 'signups' };

function parsed(text: string) {
  const r = parseRecipe(text, { format: 'yaml' });
  if (!r.ok) throw new Error(`${r.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}\n---\n${text}`);
  return r.recipe;
}

describe('draftRecipe from a form', () => {
  it('maps exactly the given fields (transforms with options, value map, default, custom field) and the actions with their options', () => {
    const recipe = parsed(draftRecipe({
      ...base,
      name: 'Sign-ups',
      fields: [
        { ghlField: 'email', sourcePath: 'data.email', transform: 'email' },
        { ghlField: 'phone', sourcePath: 'data.phone', transform: 'phone', options: { defaultCountry: 'NO' } },
        { ghlField: 'dateOfBirth', sourcePath: 'data.createdAt', transform: 'date', options: { add: '+2d', format: 'date' } },
        { ghlField: 'customFields.contact.plan', sourcePath: 'data.plan', transform: 'map', valueMap: { map: { pro: 'Pro' }, fallback: 'Free' } },
        { ghlField: 'companyName', sourcePath: 'data.company', default: 'unknown' },
        { ghlField: 'source', value: 'Web' },
      ],
      actions: [{ kind: 'upsertContact' }, { kind: 'tags', tags: ['a', 'b'], managed: ['lead', 'customer'] }, { kind: 'task', title: 'Call {{data.name}}', dueIn: '+3h' }, { kind: 'note', body: 'Plan {{data.plan}}' }, { kind: 'deleteContact', policy: 'delete' }],
    }));
    expect(recipe.name).toBe('Sign-ups');
    expect(recipe.mapping.contact).toEqual({
      email: { path: 'data.email', transforms: ['email'] },
      phone: { path: 'data.phone', transforms: [{ phone: { defaultCountry: 'NO' } }] },
      dateOfBirth: { path: 'data.createdAt', transforms: [{ date: { add: '+2d', format: 'date' } }] },
      companyName: { path: 'data.company', default: 'unknown' },
      source: { value: 'Web' },
      customFields: { 'contact.plan': { path: 'data.plan', transforms: [{ map: { pro: 'Pro' }, fallback: 'Free' }] } },
    });
    expect(recipe.filter).toEqual({ any: [{ path: 'data.email', exists: true }, { path: 'data.phone', exists: true }] });
    expect(recipe.actions).toEqual([
      { type: 'upsertContact' },
      { type: 'tags', add: { value: ['a', 'b'] }, managed: ['lead', 'customer'] },
      { type: 'task', sourceId: { template: 'signups-task-{{data.id}}' }, title: { template: 'Call {{data.name}}' }, dueDate: { now: '+3h' } },
      { type: 'note', sourceId: { template: 'signups-note-{{data.id}}' }, body: { template: 'Plan {{data.plan}}' } },
      { type: 'deleteContact', policy: 'delete' },
    ]);
  });

  it('every transform choice and action kind drafts a valid recipe', () => {
    for (const t of TRANSFORM_CHOICES) {
      const field = { ghlField: 'city', sourcePath: 'data.plan', transform: t.id, ...(t.needsValueMap ? { valueMap: { map: { a: 'b' } } } : {}) };
      parsed(draftRecipe({ ...base, fields: [field], actions: ['upsertContact'] }));
    }
    expect(ACTION_CHOICES.map((a) => a.kind)).toEqual([...DRAFT_ACTIONS]);
    parsed(draftRecipe({ ...base, fields: [], actions: [...DRAFT_ACTIONS] }));
  });

  it('names the answer at fault', () => {
    const bad = (fields: Parameters<typeof draftRecipe>[0]['fields']) => {
      try {
        draftRecipe({ ...base, fields, actions: ['upsertContact'] });
      } catch (e) {
        return e instanceof DraftError ? `${e.field}: ${e.message}` : String(e);
      }
      return 'no error';
    };
    expect(bad([{ ghlField: 'emial', sourcePath: 'data.email' }])).toMatch(/^fields\[0\]\.ghlField: unknown GHL contact field "emial"/);
    expect(bad([{ ghlField: 'email', sourcePath: 'data.email', transform: 'emial' }])).toMatch(/^fields\[0\]\.transform: unknown transform "emial"/);
    expect(bad([{ ghlField: 'email' }])).toMatch(/^fields\[0\]\.sourcePath: /);
    expect(bad([{ ghlField: 'email', sourcePath: 'a' }, { ghlField: 'email', sourcePath: 'b' }])).toMatch(/^fields\[1\]\.ghlField: email is mapped twice/);
    expect(transformsOf('phone', { add: '+1d' })).toMatchObject({ ok: false, message: expect.stringContaining('no option "add"') });
  });

  it('flow writes YAML flow values that quote what needs it', () => {
    expect(flow({ path: 'data.email', transforms: ['email', { phone: { defaultCountry: 'US' } }] })).toBe('{ path: data.email, transforms: [email, { phone: { defaultCountry: US } }] }');
    expect(flow({ value: ['yes', 'a b'] })).toBe('{ value: ["yes", "a b"] }');
  });
});
