import { describe, expect, it } from 'vitest';
import type { DeferredValue } from '../recipes/step-refs.js';
import type { RecipeEvaluation } from '../recipes/types.js';
import { buildPlan } from './build.js';
import type { LedgerEntry } from './types.js';

const contactRef: DeferredValue = { key: 'body', field: 'actions[1].body', spec: { template: 'GHL contact {{steps.contact.id}} for {{user.name}}' }, kind: 'text', required: true, refs: ['steps.contact.id'] };
const payload = { user: { name: 'Ada' } };

function evaluation(skipped?: RecipeEvaluation['skipped']): RecipeEvaluation {
  return {
    matched: true, recordId: 'r1', contact: { email: 'a@b.co' }, errors: [],
    actions: [
      { type: 'upsertContact' },
      { type: 'note', id: 'hello', sourceId: 'n1', fields: { body: '<steps.contact.id>' }, deferred: [contactRef] },
      { type: 'app', connection: 'app', action: 'app.writeBack', input: { ghl: '<steps.contact.id>', note: '<steps.hello.id>' }, contactView: false, deferred: [
        { key: 'ghl', field: 'actions[2].input.ghl', spec: 'steps.contact.id', kind: 'any', required: false, refs: ['steps.contact.id'] },
        { key: 'note', field: 'actions[2].input.note', spec: 'steps.hello.id', kind: 'any', required: false, refs: ['steps.hello.id'] },
      ] },
    ],
    ...(skipped ? { skipped } : {}),
  };
}

describe('buildPlan: step outputs and skipped actions', () => {
  it('shows which step gives a value not known yet, and keeps it deferred for apply', () => {
    const plan = buildPlan({ evaluation: evaluation(), locationId: 'L', ledger: [], payload });
    expect(plan.calls.map((c) => [c.step, c.operationId, c.output, c.body])).toEqual([
      [1, 'upsert-contact', 'contact', { email: 'a@b.co', locationId: 'L' }],
      [2, 'create-note', 'hello', { body: 'GHL contact <steps.contact.id: known after step 1> for Ada' }],
      [3, 'app.writeBack', undefined, { ghl: '<steps.contact.id: known after step 1>', note: '<steps.hello.id: known after step 2>' }],
    ]);
    expect(plan.calls[1]!.deferred).toEqual([contactRef]);
    expect(plan.calls[2]!.deferred?.map((d) => d.key)).toEqual(['ghl', 'note']);
    expect(plan.steps).toBeUndefined();
  });

  it('fills what the ledger knows at plan time, so an unchanged note is not written again', () => {
    const ledger: LedgerEntry[] = [
      { kind: 'contact', sourceId: 'r1', ghlId: 'G1', fieldsHash: null, fields: { email: 'a@b.co' } },
      { kind: 'note', sourceId: 'n1', ghlId: 'N1', fieldsHash: null, fields: { body: 'GHL contact G1 for Ada' } },
    ];
    const plan = buildPlan({ evaluation: evaluation(), locationId: 'L', ledger, payload });
    expect(plan.steps).toEqual({ contact: { id: 'G1' }, hello: { id: 'N1' } });
    expect(plan.skipped).toContainEqual({ action: 'note:n1', reason: 'note unchanged' });
    expect(plan.calls.map((c) => [c.operationId, c.body, c.deferred])).toEqual([['app.writeBack', { ghl: 'G1', note: 'N1' }, undefined]]);
  });

  it('lists the actions a when left out', () => {
    const skipped = [{ action: 'actions[3] (task)', reason: 'its "when" does not hold: user.stage equals "Hired" is false (it is "Offer")' }];
    expect(buildPlan({ evaluation: evaluation(skipped), locationId: 'L', ledger: [], payload }).skipped).toEqual(skipped);
  });
});
