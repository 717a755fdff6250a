import { describe, expect, it } from 'vitest';
import { oneLine, plural } from './text.js';

describe('incident text', () => {
  it('flattens whitespace and cuts long text with an ellipsis', () => {
    expect(oneLine('a\n\n b\tc')).toBe('a b c');
    expect(oneLine('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(oneLine('short', 10)).toBe('short');
  });
  it('says one run or many runs', () => {
    expect(plural(1, 'run')).toBe('1 run');
    expect(plural(1000, 'run')).toBe('1,000 runs');
  });
});
