import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { didYouMean, suggest, toRecipeIssues } from './schema-errors.js';

describe('suggest', () => {
  it('finds close spellings, swaps and case slips, and nothing for unrelated words', () => {
    expect(suggest('phoen', ['phone', 'date'])).toBe('phone');
    expect(suggest('emial', ['email', 'trim'])).toBe('email');
    expect(suggest('FirstName', ['firstName', 'lastName'])).toBe('firstName');
    expect(suggest('xyz', ['phone', 'date'])).toBeUndefined();
    expect(didYouMean('tasks', ['task', 'note'])).toBe(' (did you mean "task"?)');
    expect(didYouMean('zzz', ['task'])).toBe('');
  });
});

describe('toRecipeIssues', () => {
  const union = z.union([z.string(), z.strictObject({ a: z.number(), b: z.string().optional() })], { error: () => 'string or {a}' });
  const schema = z.strictObject({ items: z.array(union) });
  const issues = (input: unknown) => {
    const r = schema.safeParse(input);
    return r.success ? [] : toRecipeIssues(r.error.issues, input);
  };

  it('reports the branch the input evidently meant', () => {
    expect(issues({ items: ['ok', { a: 'x' }] })).toEqual([{ path: 'items[1].a', message: 'expected number, received string' }]);
    expect(issues({ items: [{ a: 1, c: 2 }] })).toEqual([{ path: 'items[0].c', message: 'Unrecognized key: "c"' }]);
  });

  it('falls back to the union message when no branch stands out, and says required for absent values', () => {
    expect(issues({ items: [5] })).toEqual([{ path: 'items[0]', message: 'string or {a}' }]);
    expect(issues({})).toEqual([{ path: 'items', message: 'required' }]);
    expect(issues({ items: [{}] })).toEqual([{ path: 'items[0].a', message: 'required' }]);
  });
});
