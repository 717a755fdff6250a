import { describe, expect, it } from 'vitest';
import { loginPathOf, safeNextPath, sameSecret, sessionIdOf } from './sessions.js';

describe('safeNextPath', () => {
  it('keeps a path of this site, query and fragment included', () => {
    expect(safeNextPath('/runs')).toBe('/runs');
    expect(safeNextPath('/runs/5?status=dead#steps')).toBe('/runs/5?status=dead#steps');
    expect(safeNextPath('/')).toBe('/');
  });

  it('sends anything else to /', () => {
    for (const next of [undefined, '', 'runs', '//evil.example', '///evil.example', '/\\evil.example', 'https://evil', 'javascript:alert(1)', '/\r\nSet-Cookie: x', '/a\tb', `/${'x'.repeat(2001)}`]) expect([next, safeNextPath(next)]).toEqual([next, '/']);
  });
});

describe('loginPathOf', () => {
  it('is relative, with the token and a safe next only when it is not /', () => {
    expect(loginPathOf('tok_1')).toBe('/login?token=tok_1');
    expect(loginPathOf('tok_1', '/runs?status=dead')).toBe('/login?token=tok_1&next=%2Fruns%3Fstatus%3Ddead');
    expect(loginPathOf('tok_1', '//evil.example')).toBe('/login?token=tok_1');
  });
});

describe('sameSecret and sessionIdOf', () => {
  it('compares whole strings only', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abd', 'abc')).toBe(false);
    expect(sameSecret('ab', 'abc')).toBe(false);
    expect(sameSecret('', 'abc')).toBe(false);
    expect(sameSecret(undefined, 'abc')).toBe(false);
  });

  it('ids a session by the sha256 of its secret, never the secret', () => {
    expect(sessionIdOf('secret')).toBe('2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b');
  });
});
