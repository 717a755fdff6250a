import { describe, expect, it } from 'vitest';
import { describeCondition, skipReason, whyFalse } from './skip.js';

const recipe = {
  id: 'recruitee-candidates',
  trigger: { source: 'recruitee', events: ['candidate.created', 'candidate.updated'] },
  filter: { all: [{ path: 'candidate.emails[0]', exists: true }, { path: 'stage.name', in: ['Hired', 'Offer'] }] },
};

describe('skipReason', () => {
  it('names the event type the recipe does not handle, and the ones it does', () => {
    expect(skipReason(recipe, {}, 'offer.created')).toEqual({
      code: 'event-type',
      message: 'recipe recruitee-candidates does not handle event type offer.created; it handles: candidate.created, candidate.updated',
    });
  });

  it('names the first false condition of an `all` filter', () => {
    expect(skipReason(recipe, { candidate: { emails: [] }, stage: { name: 'Hired' } }, 'candidate.created')).toEqual({ code: 'filter', message: 'filter: candidate.emails[0] exists is false' });
    expect(skipReason(recipe, { candidate: { emails: ['a@x.io'] }, stage: { name: 'Applied' } }, 'candidate.created')).toEqual({ code: 'filter', message: 'filter: stage.name in ["Hired","Offer"] is false (it is "Applied")' });
    expect(skipReason(recipe, { candidate: { emails: ['a@x.io'] } })).toEqual({ code: 'filter', message: 'filter: stage.name in ["Hired","Offer"] is false (no value there)' });
  });

  it('answers null when the recipe handles the event; without an event type only the filter is read', () => {
    expect(skipReason(recipe, { candidate: { emails: ['a@x.io'] }, stage: { name: 'Offer' } }, 'candidate.updated')).toBeNull();
    expect(skipReason(recipe, { candidate: { emails: ['a@x.io'] }, stage: { name: 'Offer' } })).toBeNull();
    expect(skipReason({ ...recipe, trigger: { source: 'recruitee' }, filter: undefined }, {}, 'anything')).toBeNull();
  });
});

describe('whyFalse', () => {
  it('says an `any`, a `not` and an `equals` as written, with the value held', () => {
    const any = { any: [{ path: 'candidate.email', exists: true }, { path: 'candidate.phone', exists: true }] };
    expect(whyFalse(any, { candidate: {} })).toBe('any of (candidate.email exists; candidate.phone exists) is false');
    expect(whyFalse({ any: [{ path: 'a', exists: true }] }, {})).toBe('a exists is false');
    expect(whyFalse({ not: { path: 'candidate.deleted', exists: true } }, { candidate: { deleted: true } })).toBe('not (candidate.deleted exists) is false');
    expect(whyFalse({ path: 'plan', equals: 'pro' }, { plan: 'free' })).toBe('plan equals "pro" is false (it is "free")');
    expect(whyFalse({ path: 'x', exists: false }, { x: 1 })).toBe('x does not exist is false');
    expect(whyFalse({ path: 'plan', equals: 'pro' }, { plan: 'pro' })).toBeNull();
  });

  it('cuts a long value short', () => {
    const why = whyFalse({ path: 'note', equals: 'x' }, { note: 'y'.repeat(200) })!;
    expect(why.length).toBeLessThan(140);
    expect(why).toMatch(/…"?\)$|…\)$/);
    expect(describeCondition({ path: 'a', in: [1, 2] })).toBe('a in [1,2]');
  });
});
