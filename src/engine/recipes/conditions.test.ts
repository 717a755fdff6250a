import { describe, expect, it } from 'vitest';
import { evaluateCondition } from './conditions.js';

const payload = { stage: { name: 'Hired' }, tags: ['vip', 'new'], email: '', score: 0, gone: null, flag: false };

describe('evaluateCondition', () => {
  it('exists: present means not undefined, null or empty text', () => {
    expect(evaluateCondition({ path: 'stage.name', exists: true }, payload)).toBe(true);
    expect(evaluateCondition({ path: 'score', exists: true }, payload)).toBe(true);
    expect(evaluateCondition({ path: 'flag', exists: true }, payload)).toBe(true);
    for (const path of ['email', 'gone', 'nope.deeper']) {
      expect(evaluateCondition({ path, exists: true }, payload)).toBe(false);
      expect(evaluateCondition({ path, exists: false }, payload)).toBe(true);
    }
  });

  it('equals and in compare strictly; a list matches when any item does', () => {
    expect(evaluateCondition({ path: 'stage.name', equals: 'Hired' }, payload)).toBe(true);
    expect(evaluateCondition({ path: 'stage.name', equals: 'hired' }, payload)).toBe(false);
    expect(evaluateCondition({ path: 'score', equals: '0' }, payload)).toBe(false);
    expect(evaluateCondition({ path: 'gone', equals: null }, payload)).toBe(true);
    expect(evaluateCondition({ path: 'tags', equals: 'new' }, payload)).toBe(true);
    expect(evaluateCondition({ path: 'stage.name', in: ['Offer', 'Hired'] }, payload)).toBe(true);
    expect(evaluateCondition({ path: 'tags', in: ['x', 'vip'] }, payload)).toBe(true);
    expect(evaluateCondition({ path: 'tags', in: ['x'] }, payload)).toBe(false);
  });

  it('combines with all, any and not', () => {
    const hiredVip = { all: [{ path: 'stage.name', equals: 'Hired' }, { path: 'tags', equals: 'vip' }] };
    expect(evaluateCondition(hiredVip, payload)).toBe(true);
    expect(evaluateCondition({ not: hiredVip }, payload)).toBe(false);
    expect(evaluateCondition({ any: [{ path: 'x', exists: true }, { path: 'score', in: [0] }] }, payload)).toBe(true);
    expect(evaluateCondition({ any: [{ path: 'x', exists: true }] }, payload)).toBe(false);
    expect(evaluateCondition({ all: [hiredVip, { path: 'email', exists: true }] }, payload)).toBe(false);
  });

  it('reads nothing from non-object payloads', () => {
    expect(evaluateCondition({ path: 'a', exists: true }, null)).toBe(false);
    expect(evaluateCondition({ path: 'length', exists: true }, 'text')).toBe(false);
  });
});
