import { describe, expect, it } from 'vitest';
import { changeSummary, lineDiff } from './line-diff.js';

describe('lineDiff', () => {
  it('one changed line: a hunk with its context and line numbers', () => {
    expect(lineDiff('a\nb\nc\nd\ne\nf\n', 'a\nb\nc\nD\ne\nf\n')).toEqual({ added: 1, removed: 1, lines: ['@@ -2,5 +2,5 @@', ' b', ' c', '-d', '+D', ' e', ' f'] });
  });

  it('additions at the end, a first version, identical texts, CRLF', () => {
    expect(lineDiff('a\n', 'a\nb\nc\n')).toEqual({ added: 2, removed: 0, lines: ['@@ -1,1 +1,3 @@', ' a', '+b', '+c'] });
    expect(lineDiff('', 'x\ny\n')).toMatchObject({ added: 2, removed: 0, lines: ['@@ -1,0 +1,2 @@', '+x', '+y'] });
    expect(lineDiff('a\nb\n', 'a\nb\n')).toEqual({ added: 0, removed: 0, lines: [] });
    expect(lineDiff('a\r\nb\r\n', 'a\nb\n').lines).toEqual([]);
  });

  it('changes far apart make two hunks; near ones one', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n');
    const after = before.replace('l1\n', 'L1\n').replace('l18', 'L18');
    const d = lineDiff(before, after);
    expect(d.lines.filter((l) => l.startsWith('@@'))).toEqual(['@@ -1,4 +1,4 @@', '@@ -17,4 +17,4 @@']);
    expect(lineDiff('a\nb\nc\n', 'A\nb\nC\n').lines.filter((l) => l.startsWith('@@'))).toHaveLength(1);
  });

  it('moves keep the longest common run', () => {
    expect(lineDiff('x\na\nb\nc\n', 'a\nb\nc\nx\n')).toMatchObject({ added: 1, removed: 1 });
  });
});

describe('changeSummary', () => {
  it('says how many lines went in and out', () => {
    expect(changeSummary({ added: 2, removed: 1 })).toBe('+2 lines −1');
    expect(changeSummary({ added: 1, removed: 0 })).toBe('+1 line −0');
    expect(changeSummary({ added: 0, removed: 0 })).toBe('no line changed');
  });
});
