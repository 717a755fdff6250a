import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConsoleDir, fileOf, pickEncoding } from './static.js';

describe('pickEncoding', () => {
  it('prefers brotli, then gzip, as Accept-Encoding allows', () => {
    expect(pickEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(pickEncoding('gzip, deflate')).toBe('gzip');
    expect(pickEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(pickEncoding('BR;Q=0.1')).toBe('br');
    expect(pickEncoding('*')).toBe('br');
    expect(pickEncoding('*;q=0, gzip')).toBe('gzip');
  });

  it('answers none when nothing acceptable is offered', () => {
    expect(pickEncoding(undefined)).toBeUndefined();
    expect(pickEncoding('')).toBeUndefined();
    expect(pickEncoding('identity')).toBeUndefined();
    expect(pickEncoding('deflate, gzip;q=0, br;q=0')).toBeUndefined();
  });
});

describe('fileOf', () => {
  const root = resolve('/srv/web');

  it('maps a URL path to a file inside the root', () => {
    expect(fileOf(root, '/')).toBe(root);
    expect(fileOf(root, '/assets/app-1.js')).toBe(join(root, 'assets', 'app-1.js'));
    expect(fileOf(root, '/assets//app%20x.js')).toBe(join(root, 'assets', 'app x.js'));
  });

  it('refuses dot segments, encoded slashes, backslashes, NULs, dotfiles and bad escapes', () => {
    for (const p of ['/../x', '/assets/../../x', '/%2e%2e/x', '/assets/..%2f..%2fx', '/a%5c..%5cx', '/a%00b', '/.env', '/.%2e/x', '/%E0%A4%A', '/./x']) expect([p, fileOf(root, p)]).toEqual([p, null]);
  });
});

describe('defaultConsoleDir', () => {
  it('is <repo>/dist/web, found from this module under src/ (and, three levels up as well, from dist/)', () => {
    const repo = resolve(import.meta.dirname, '../../..');
    expect(existsSync(join(repo, 'package.json'))).toBe(true);
    expect(defaultConsoleDir()).toBe(join(repo, 'dist', 'web'));
  });
});
