import { describe, expect, it } from 'vitest';
import { whyFalse } from './condition-why.js';

describe('whyFalse', () => {
  const payload = { stage: { name: 'Offer' }, tags: ['vip'] };

  it('is null when the condition holds', () => {
    expect(whyFalse({ path: 'stage.name', equals: 'Offer' }, payload)).toBeNull();
  });

  it('names the part that failed and the value found', () => {
    expect(whyFalse({ path: 'stage.name', equals: 'Hired' }, payload)).toBe('stage.name equals "Hired" is false (the value is "Offer")');
    expect(whyFalse({ path: 'stage.id', in: [1, 2] }, payload)).toBe('stage.id in [1, 2] is false (no value there)');
    expect(whyFalse({ all: [{ path: 'tags', equals: 'vip' }, { path: 'candidate.email', exists: true }] }, payload)).toBe('candidate.email exists is false (no value there)');
    expect(whyFalse({ not: { path: 'tags', equals: 'vip' } }, payload)).toBe('not (tags equals "vip") is false: it holds (the value is ["vip"])');
    expect(whyFalse({ any: [{ path: 'a', exists: true }, { path: 'stage.name', equals: 'Hired' }] }, payload)).toBe(
      'none of 2 holds: a exists is false (no value there); stage.name equals "Hired" is false (the value is "Offer")',
    );
  });
});
