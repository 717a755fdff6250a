import { describe, expect, it } from 'vitest';
import { normalizeTags, shapeValue } from './outputs.js';

describe('shapeValue', () => {
  it('writes text, yes/no and ISO dates, and keeps any value as it is', () => {
    expect(shapeValue(42, 'text')).toEqual({ ok: true, value: '42' });
    expect(shapeValue(false, 'text')).toEqual({ ok: true, value: 'false' });
    expect(shapeValue({ a: 1 }, 'text')).toEqual({ ok: false, message: 'expected text, got an object' });
    expect(shapeValue(['a'], 'text')).toMatchObject({ ok: false, message: expect.stringContaining('got a list') });
    expect(shapeValue('Yes', 'boolean')).toEqual({ ok: true, value: true });
    expect(shapeValue('2026-12-01T09:00:00+02:00', 'isoDate')).toEqual({ ok: true, value: '2026-12-01T07:00:00.000Z' });
    const object = { a: 1 };
    expect(shapeValue(object, 'any')).toEqual({ ok: true, value: object });
  });
});

describe('normalizeTags', () => {
  it('flattens, trims, lower-cases and deduplicates', () => {
    expect(normalizeTags(['VIP ', 'vip', ['New Hire', ['x']], '', null, 3, true])).toEqual({ ok: true, value: ['vip', 'new hire', 'x', '3', 'true'] });
    expect(normalizeTags(' Solo ')).toEqual({ ok: true, value: ['solo'] });
  });

  it('refuses objects and lists nested too deep', () => {
    expect(normalizeTags([{ a: 1 }])).toEqual({ ok: false, message: 'a tag must be text, got an object' });
    expect(normalizeTags([[[['deep']]]])).toEqual({ ok: false, message: 'tag lists nest too deep' });
  });
});
