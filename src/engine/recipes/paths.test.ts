import { describe, expect, it } from 'vitest';
import { formatPath, getPath, parsePath } from './paths.js';

describe('parsePath', () => {
  it('reads dots, indices and quoted keys', () => {
    expect(parsePath('candidate.emails[0]')).toEqual({ ok: true, segments: ['candidate', 'emails', 0] });
    expect(parsePath('a["x.y"].b')).toEqual({ ok: true, segments: ['a', 'x.y', 'b'] });
    expect(parsePath("a['it\\'s'][12]")).toEqual({ ok: true, segments: ['a', "it's", 12] });
    expect(parsePath('[0].name')).toEqual({ ok: true, segments: [0, 'name'] });
    expect(parsePath('first-name.x_y$')).toEqual({ ok: true, segments: ['first-name', 'x_y$'] });
  });

  it.each([
    ['', 'empty'],
    ['a..b', 'empty key at 2'],
    ['.a', 'empty key at 0'],
    ['a.', 'ends with "."'],
    ['a[x]', 'is not a non-negative integer'],
    ['a[-1]', 'is not a non-negative integer'],
    ['a[0', 'unclosed "["'],
    ['a["x]', 'unclosed quote'],
    ['a["x"b]', 'expected "]"'],
    ['a[0]b', 'unexpected "b" at 4'],
    ['a b', 'unexpected " " at 1'],
    ['{{a}}', 'unexpected "{" at 0'],
  ])('refuses %j (%s)', (path, why) => {
    const parsed = parsePath(path);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(why);
  });

  it('refuses prototype keys, quoted or not', () => {
    for (const path of ['__proto__', 'a.__proto__.x', 'a["constructor"]', 'prototype']) {
      expect(parsePath(path)).toMatchObject({ ok: false, message: expect.stringContaining('is not allowed') });
    }
  });
});

describe('getPath', () => {
  const payload = { candidate: { emails: ['ada@example.com'], 'first name': 'Ada', n: 0, none: null }, list: [{ id: 'x' }] };

  it('reads nested values, indices and quoted keys', () => {
    expect(getPath(payload, 'candidate.emails[0]')).toBe('ada@example.com');
    expect(getPath(payload, 'candidate["first name"]')).toBe('Ada');
    expect(getPath(payload, 'list[0].id')).toBe('x');
    expect(getPath(payload, 'list.0.id')).toBe('x');
    expect(getPath(payload, 'candidate.n')).toBe(0);
    expect(getPath(payload, 'candidate.none')).toBeNull();
    expect(getPath(payload, ['candidate', 'emails', 0])).toBe('ada@example.com');
  });

  it('answers undefined for absent steps, never throwing', () => {
    expect(getPath(payload, 'candidate.emails[3]')).toBeUndefined();
    expect(getPath(payload, 'candidate.none.x')).toBeUndefined();
    expect(getPath(payload, 'candidate.emails.x')).toBeUndefined();
    expect(getPath('text', 'length')).toBeUndefined();
    expect(getPath(undefined, 'a')).toBeUndefined();
    expect(getPath(payload, 'a..b')).toBeUndefined();
  });

  it('never reaches inherited or prototype properties', () => {
    expect(getPath({}, 'toString')).toBeUndefined();
    expect(getPath({}, 'constructor')).toBeUndefined();
    expect(getPath({ a: {} }, ['a', '__proto__'])).toBeUndefined();
    expect(getPath({ list: [1] }, 'list.length')).toBeUndefined();
    const child = Object.create({ inherited: 1 }) as Record<string, unknown>;
    expect(getPath({ child }, 'child.inherited')).toBeUndefined();
  });
});

describe('formatPath', () => {
  it('writes identifiers with dots, indices and other keys in brackets, and round-trips', () => {
    const segments = ['mapping', 'contact', 'customFields', 'contact.stage', 'transforms', 0];
    expect(formatPath(segments)).toBe('mapping.contact.customFields["contact.stage"].transforms[0]');
    expect(parsePath(formatPath(segments))).toEqual({ ok: true, segments });
    expect(formatPath(['actions', 2, 'type'])).toBe('actions[2].type');
    expect(formatPath([])).toBe('');
  });
});
