import { describe, expect, it } from 'vitest';
import { capIssues, capLines, issueCount, lineCount } from './cap.js';
import { formatSize, sizeProblem } from './limits.js';
import { printable, quote } from './printable.js';

describe('capIssues / capLines', () => {
  it('keeps a short list as it is', () => {
    expect(capIssues([{ path: 'a', message: 'required' }])).toEqual([{ path: 'a', message: 'required' }]);
    expect(capLines(['x: bad'])).toEqual(['x: bad']);
  });

  it('cuts a long list at 50, the last line saying how many more, and counts them back', () => {
    const issues = Array.from({ length: 40_000 }, (_, i) => ({ path: `k${i}`, message: 'unknown' }));
    const cut = capIssues(issues);
    expect(cut).toHaveLength(51);
    expect(cut[50]).toEqual({ path: '', message: 'and 39,950 more problems (fix the ones above first)', more: 39_950 });
    expect(issueCount(cut)).toBe(40_000);
    const lines = capLines(issues.map((i) => `${i.path}: ${i.message}`));
    expect([lines.length, lines[50], lineCount(lines)]).toEqual([51, 'and 39,950 more problems (fix the ones above first)', 40_000]);
    expect(capIssues(issues.slice(0, 50), 51)[50]).toEqual({ path: '', message: 'and 1 more problem (fix the ones above first)', more: 1 });
  });

  it('escapes control characters and cuts long messages', () => {
    const [one] = capIssues([{ path: '', message: `bad \u001b[2J${'x'.repeat(1000)}` }]);
    expect(one!.message.startsWith('bad \\u001b[2J')).toBe(true);
    expect(one!.message.length).toBeLessThanOrEqual(520);
  });
});

describe('printable / quote', () => {
  it('escapes terminal controls, C1 and bidirectional overrides', () => {
    expect(printable('a\nb\tc\u001b[31m\u009b\u202e')).toBe('a\\nb\\tc\\u001b[31m\\u009b\\u202e');
    expect(quote('pi"t\u0007')).toBe('"pi\\"t\\u0007"');
    expect(quote('x'.repeat(100), 10)).toBe(`"${'x'.repeat(10)}…"`);
  });
});

describe('sizes', () => {
  it('names both sizes', () => {
    expect(formatSize(812)).toBe('812 bytes');
    expect(formatSize(64 * 1024)).toBe('64 KiB');
    expect(sizeProblem('recipe text', 1_080_019, 64 * 1024)).toBe('the recipe text is 1.03 MiB (1,080,019 bytes); the limit is 64 KiB');
    expect(sizeProblem('recipe text', 64 * 1024, 64 * 1024)).toBeNull();
  });
});
