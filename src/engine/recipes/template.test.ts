import { describe, expect, it } from 'vitest';
import { formatValue, parseTemplate, renderTemplate } from './template.js';

describe('parseTemplate', () => {
  it('splits text and placeholders, ignoring spaces in the braces', () => {
    expect(parseTemplate('Hi {{ candidate.name }}!')).toEqual({
      ok: true,
      parts: [{ text: 'Hi ' }, { path: 'candidate.name', segments: ['candidate', 'name'] }, { text: '!' }],
    });
    expect(parseTemplate('no placeholders')).toEqual({ ok: true, parts: [{ text: 'no placeholders' }] });
  });

  it('reports unclosed braces and bad paths with their position', () => {
    expect(parseTemplate('Hi {{name')).toEqual({ ok: false, message: 'unclosed "{{" at 3' });
    expect(parseTemplate('{{a}} {{a..b}}')).toMatchObject({ ok: false, message: expect.stringContaining('placeholder at 6: invalid path "a..b"') });
    expect(parseTemplate('{{}}')).toMatchObject({ ok: false });
  });
});

describe('renderTemplate', () => {
  const payload = { candidate: { name: 'Ada', tags: ['a', 'b'], meta: { x: 1 }, score: 0, ok: false }, stage: { name: 'Offer' } };

  it('fills placeholders and records their sources', () => {
    expect(renderTemplate('{{candidate.name}} moved to {{stage.name}}', payload)).toEqual({
      ok: true,
      value: 'Ada moved to Offer',
      sources: { 'candidate.name': 'Ada', 'stage.name': 'Offer' },
    });
  });

  it('writes numbers, booleans, lists and objects', () => {
    expect(renderTemplate('{{candidate.score}}/{{candidate.ok}}/{{candidate.tags}}/{{candidate.meta}}', payload)).toMatchObject({
      ok: true,
      value: '0/false/a, b/{"x":1}',
    });
  });

  it('is missing as a whole when any placeholder is missing, naming each once', () => {
    expect(renderTemplate('{{candidate.name}} {{x}} {{y}} {{x}}', payload)).toEqual({
      ok: false,
      missing: ['x', 'y'],
      sources: { 'candidate.name': 'Ada', x: undefined, y: undefined },
    });
  });

  it('reports a template that does not parse', () => {
    expect(renderTemplate('{{a', payload)).toEqual({ ok: false, message: 'unclosed "{{" at 0' });
  });
});

describe('formatValue', () => {
  it('treats null, undefined, empty and unprintable values as empty', () => {
    expect(formatValue(null)).toBe('');
    expect(formatValue(undefined)).toBe('');
    expect(formatValue([null, ''])).toBe('');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(formatValue(cyclic)).toBe('');
    expect(formatValue(new Date('2026-03-01T00:00:00Z'))).toBe('2026-03-01T00:00:00.000Z');
  });
});
