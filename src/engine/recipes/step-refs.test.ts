import { describe, expect, it } from 'vitest';
import { placeholder, refsKnown, resolveDeferred, stepRefs, type DeferredValue } from './step-refs.js';

const body: DeferredValue = { key: 'body', field: 'actions[1].body', spec: { template: 'Contact {{steps.contact.id}}: {{user.name}}' }, kind: 'text', required: true, refs: ['steps.contact.id'] };

describe('step references', () => {
  it('finds steps.… in paths and templates only', () => {
    expect(stepRefs({ template: 'A {{steps.contact.id}} {{user.name}} {{ steps.app1.result.id }}' })).toEqual(['steps.contact.id', 'steps.app1.result.id']);
    expect(stepRefs('steps.contact.id')).toEqual(['steps.contact.id']);
    expect(stepRefs({ path: 'user.steps' })).toEqual([]);
    expect(stepRefs({ value: 'steps.contact.id' })).toEqual([]);
  });

  it('resolves with the outputs and the payload, and says what is missing', () => {
    expect(resolveDeferred(body, { user: { name: 'Ada' } }, { contact: { id: 'G1' } })).toEqual({ ok: true, value: 'Contact G1: Ada' });
    expect(resolveDeferred(body, { user: { name: 'Ada' } }, {})).toEqual({ ok: false, message: 'actions[1].body: required: template: no value for {{steps.contact.id}}' });
    const optional: DeferredValue = { ...body, required: false, spec: { path: 'steps.app.out.id', default: 'none' } };
    expect(resolveDeferred(optional, {}, { app: { out: { id: 7 } } })).toEqual({ ok: true, value: '7' });
    expect(resolveDeferred(optional, {}, {})).toEqual({ ok: true, value: 'none' });
    expect(resolveDeferred({ ...optional, spec: 'steps.app.out.id' }, {}, {})).toEqual({ ok: true, value: undefined, left: 'no value at "steps.app.out.id"' });
    expect(resolveDeferred({ ...optional, spec: 'steps.app.out' }, {}, { app: { out: { id: 7 } } })).toEqual({ ok: false, message: 'actions[1].body: expected text, got an object' });
  });

  it('tells known steps and shows a placeholder for the others', () => {
    expect(refsKnown(body, { contact: { id: 'G1' } })).toBe(true);
    expect(refsKnown(body, { other: {} })).toBe(false);
    expect(placeholder(['steps.contact.id'], 1)).toBe('<steps.contact.id: known after step 1>');
    expect(placeholder(['steps.x.id'], null)).toBe('<steps.x.id: not known: no planned step produces it>');
  });
});
