import { describe, expect, it } from 'vitest';
import { specRoutes } from '../../spec/generated/routes.js';
import { bundleSchema, contactRoutes, ghlActions, OPERATION_ACTIONS } from './actions.js';
import { ghl } from './index.js';

const byId = new Map(ghlActions.map((a) => [a.id, a]));

describe('route table → catalog actions', () => {
  it('one action per contacts operation of the spec (all 32), plus ghl.contactView', () => {
    const ops = specRoutes.filter((r) => r.module === 'contacts').map((r) => r.operationId).sort();
    expect(ops).toHaveLength(32);
    expect(Object.keys(OPERATION_ACTIONS).sort()).toEqual(ops);
    expect(contactRoutes).toHaveLength(32);
    expect(ghlActions).toHaveLength(33);
    expect(byId.size).toBe(33);
    expect(ghl.actions).toBe(ghlActions);
    for (const action of ghlActions) expect(action.id).toMatch(/^ghl\.[a-zA-Z]+(\.[a-zA-Z]+)?$/);
  });

  it('each action carries its route: endpoint, scope, idempotency, output schema', () => {
    for (const route of contactRoutes) {
      const action = byId.get(`ghl.${OPERATION_ACTIONS[route.operationId]!.name}`)!;
      expect(action.endpoint).toBe(`${route.method} ${route.path}`);
      expect(action.scope).toBe(route.security!.scopes.join(' '));
      expect(action.scope).toMatch(/^contacts\.(readonly|write)$/);
      expect(action.idempotent).toBe(!['create-contact', 'create-task', 'create-note'].includes(route.operationId));
      expect(action.output).toHaveProperty('$ref');
    }
    expect(byId.get('ghl.contacts.upsert')!.endpoint).toBe('POST /contacts/upsert');
    expect(byId.get('ghl.tasks.complete')!.endpoint).toBe('PUT /contacts/{contactId}/tasks/{taskId}/completed');
    expect(byId.get('ghl.contacts.upsert')!.scope).toBe('contacts.write');
    expect(byId.get('ghl.contacts.get')!.scope).toBe('contacts.readonly');
  });

  it('output schemas are self-contained: every $ref resolves inside the bundle', () => {
    for (const action of ghlActions) {
      const schema = action.output as { $defs?: Record<string, unknown> };
      const text = JSON.stringify(schema);
      for (const [, name] of text.matchAll(/"\$ref":"#\/\$defs\/([^"]+)"/g)) expect(schema.$defs, `${action.id} → ${name}`).toHaveProperty([name!]);
    }
    expect(Object.keys((bundleSchema('UpsertContactsSuccessfulResponseDto') as { $defs: object }).$defs).length).toBeGreaterThan(1);
  });

  it('inputs are strict: path params required, unknown keys refused, body optional only when the DTO needs nothing', () => {
    const upsert = byId.get('ghl.contacts.upsert')!.input;
    expect(upsert.safeParse({ body: { email: 'a@b.c' } }).success).toBe(true);
    expect(upsert.safeParse({ body: {} }).success).toBe(true);
    expect(upsert.safeParse({ body: {}, contactId: 'x' }).success).toBe(false);
    const complete = byId.get('ghl.tasks.complete')!.input;
    expect(complete.safeParse({ contactId: 'c', taskId: 't', body: { completed: true } }).success).toBe(true);
    expect(complete.safeParse({ contactId: 'c', body: { completed: true } }).success).toBe(false);
    expect(complete.safeParse({ contactId: 'c', taskId: 't' }).success).toBe(false);
    const campaign = byId.get('ghl.campaigns.add')!.input;
    expect(campaign.safeParse({ contactId: 'c', campaignId: 'k' }).success).toBe(true);
    const dup = byId.get('ghl.contacts.findDuplicate')!.input;
    expect(dup.safeParse({ query: { email: 'a@b.c' } }).success).toBe(true);
    expect(dup.safeParse({ query: { mail: 'a@b.c' } }).success).toBe(false);
    const bulk = byId.get('ghl.tags.bulkUpdate')!.input;
    expect(bulk.safeParse({ type: 'add', body: { contacts: ['c'], tags: ['t'] } }).success).toBe(true);
    expect(bulk.safeParse({ type: 'toggle', body: { contacts: ['c'], tags: ['t'] } }).success).toBe(false);
  });
});
