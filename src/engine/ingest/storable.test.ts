import { describe, expect, it } from 'vitest';
import { jsonNestingDepth, PayloadTooDeepError, storableJson, storableText } from './storable.js';

describe('storableText', () => {
  it('replaces NUL and lone surrogates, keeps valid pairs', () => {
    expect(storableText('a\u0000b')).toBe('a\ufffdb');
    expect(storableText('x\ud800y')).toBe('x\ufffdy');
    expect(storableText('x\udc00y')).toBe('x\ufffdy');
    expect(storableText('end\ud83d')).toBe('end\ufffd');
    expect(storableText('smile \ud83d\ude00')).toBe('smile \ud83d\ude00');
    expect(storableText('plain')).toBe('plain');
  });
});

describe('storableJson', () => {
  it('returns the same value when nothing needs cleaning', () => {
    const v = { a: [1, 'two', { b: null }] };
    const out = storableJson(v);
    expect(out.changed).toBe(false);
    expect(out.value).toBe(v);
  });

  it('cleans values and keys in a copy, leaving the input as it was', () => {
    const v = { name: 'Ann\u0000', list: ['ok', 'b\ud800ad'], ['k\u0000ey']: { deep: '\udfff' } };
    const out = storableJson(v);
    expect(out.changed).toBe(true);
    expect(out.value).toEqual({ name: 'Ann\ufffd', list: ['ok', 'b\ufffdad'], ['k\ufffdey']: { deep: '\ufffd' } });
    expect(v.name).toBe('Ann\u0000');
    expect(Object.keys(out.value)).toEqual(['name', 'list', 'k\ufffdey']);
  });

  it('keeps a __proto__ key a plain key', () => {
    const v = JSON.parse('{"__proto__": {"polluted": 1}, "n\\u0000": 1}') as Record<string, unknown>;
    const out = storableJson(v).value as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'n\ufffd']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a value nested deeper than the limit, naming where, without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(() => storableJson(deep, 64)).toThrow(PayloadTooDeepError);
    expect(() => storableJson({ top: [[[1]]] }, 3)).toThrow(expect.objectContaining({ field: 'top[0][0]', limit: 3 }));
    expect(() => storableJson({ top: [[1]] }, 3)).not.toThrow();
  });
});

describe('jsonNestingDepth', () => {
  it('counts brackets outside strings and stops past the limit', () => {
    expect(jsonNestingDepth(Buffer.from('1'))).toBe(0);
    expect(jsonNestingDepth(Buffer.from('{"a":[1,{"b":2}]}'))).toBe(3);
    expect(jsonNestingDepth(Buffer.from('{"a":"[[[[\\"[[["}'))).toBe(1);
    expect(jsonNestingDepth(Buffer.from('['.repeat(1_000_000)), 64)).toBe(65);
  });
});
