import { describe, expect, it } from 'vitest';
import { resolveValue } from './resolve.js';

describe('resolveValue', () => {
  const payload = { a: { b: ' X ' }, list: ['x', 'y'], n: 0 };

  it('reads a path shorthand, a template and a constant', () => {
    expect(resolveValue('a.b', payload)).toEqual({ status: 'mapped', value: ' X ', source: 'a.b', sourceValue: ' X ' });
    expect(resolveValue({ template: '[{{a.b}}]' }, payload)).toEqual({ status: 'mapped', value: '[ X ]', source: '[{{a.b}}]', sourceValue: { 'a.b': ' X ' } });
    expect(resolveValue({ value: ['k'] }, payload)).toEqual({ status: 'mapped', value: ['k'], source: null, sourceValue: ['k'] });
    expect(resolveValue('n', payload)).toMatchObject({ status: 'mapped', value: 0 });
  });

  it('uses the default for missing values, including empty results of transforms', () => {
    expect(resolveValue({ path: 'zz', default: 'd' }, payload)).toMatchObject({ status: 'default', value: 'd' });
    expect(resolveValue({ default: 'only' }, payload)).toMatchObject({ status: 'default', value: 'only', source: null });
    expect(resolveValue({ path: 'list', transforms: [{ map: {} }], default: ['none'] }, payload)).toMatchObject({ status: 'default', value: ['none'] });
    expect(resolveValue({ path: 'list', transforms: [{ map: {} }] }, payload)).toMatchObject({ status: 'missing', reason: 'the transforms left no value' });
    expect(resolveValue({ path: 'zz', default: '' }, payload)).toMatchObject({ status: 'missing', reason: 'no value at "zz"' });
  });

  it('skips when the condition does not hold, and reports transform failures', () => {
    expect(resolveValue({ path: 'a.b', when: { path: 'n', equals: 1 } }, payload)).toMatchObject({ status: 'skipped' });
    expect(resolveValue({ path: 'a.b', transforms: ['number'] }, payload)).toMatchObject({ status: 'error', message: 'number: not a number: " X "' });
    expect(resolveValue({ path: 'a.b', transforms: ['number'], default: 1 }, payload)).toMatchObject({ status: 'error' });
  });
});
