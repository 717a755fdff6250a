import { describe, expect, it } from 'vitest';
import { runSteps } from './steps.js';
import { readYaml } from './yaml.js';

const read = (text: string) => runSteps(readYaml(text));

describe('readYaml', () => {
  it('reads one document', () => {
    expect(read('a: 1\nb: [x, y]\n')).toEqual({ ok: true, data: { a: 1, b: ['x', 'y'] } });
  });

  it('reports duplicate keys with their path and lines, in every mapping, 1 and "1" alike', () => {
    const r = read('a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\nlist:\n  - { x: 1, x: 2 }\n"1": a\n1: b\na: again\n');
    expect(r).toEqual({
      ok: false,
      total: 4,
      issues: [
        { path: '', message: 'YAML: duplicate key "1" on line 9 (first on line 8)' },
        { path: '', message: 'YAML: duplicate key "a" on line 10 (first on line 1)' },
        { path: 'b', message: 'YAML: duplicate key "c" on line 5 (first on line 3)' },
        { path: 'list[0]', message: 'YAML: duplicate key "x" on line 7 (first on line 7)' },
      ],
    });
  });

  it('checks 40,000 keys in linear time and lists the first 50 duplicates with the total', () => {
    const text = (n: number) => Array.from({ length: n }, (_, i) => `key_${i % (n / 2)}: value\n`).join('');
    // linear: 4 × the keys take about 4 × as long (the library's own check was quadratic: 16 ×);
    // the fastest of three runs each, compared within this run, so a loaded machine does not decide
    const fastest = (t: string) => Math.min(...[0, 1, 2].map(() => { const started = performance.now(); read(t); return performance.now() - started; }));
    const small = text(10_000);
    const large = text(40_000);
    expect(fastest(large) / fastest(small)).toBeLessThan(10);
    expect(read(Array.from({ length: 40_000 }, (_, i) => `key_${i}: value\n`).join('')).ok).toBe(true);
    const r = read(large);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect([r.total, r.issues.length]).toEqual([20_000, 50]);
    expect(r.issues[0]).toEqual({ path: '', message: 'YAML: duplicate key "key_0" on line 20001 (first on line 1)' });
  }, 120_000);

  it('reports syntax errors (the first three) with their position, and a second document', () => {
    const r = read('a: [1\nb: {\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.length).toBeLessThanOrEqual(3);
    expect(r.issues[0]!.message).toMatch(/^YAML: .* at line \d+, column \d+$/);
    expect(read('a: 1\n---\nb: 2\n')).toEqual({ ok: false, total: 1, issues: [{ path: '', message: 'YAML: multiple documents (the second starts at line 2, column 1); this is one document: remove the "---" or "..." line' }] });
  });

  it('escapes what a message quotes', () => {
    const r = read('"\\e[31mred": 1\n"\\e[31mred": 2\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues[0]!.message).toBe('YAML: duplicate key "\\u001b[31mred" on line 2 (first on line 1)');
  });

  it('refuses an alias bomb', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n');
    const r = read(bomb);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]!.message).toMatch(/^YAML: .*alias/i);
  });
});
