import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseLockedError, lockDataDir } from './dir-lock.js';

describe('lockDataDir', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = mkdtempSync(join(tmpdir(), 'lock-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('refuses a directory another live process holds, naming it', () => {
    const dir = fresh();
    // pid 1 is always alive
    writeFileSync(join(dir, '.ghl-bridge.lock'), '1');
    expect(() => lockDataDir(dir)).toThrow(DatabaseLockedError);
    expect(() => lockDataDir(dir)).toThrow(/open in another process \(pid 1\)/);
  });

  it('takes over a lock whose process is gone, and releases only its own', () => {
    const dir = fresh();
    writeFileSync(join(dir, '.ghl-bridge.lock'), '999999999');
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, '.ghl-bridge.lock'), 'utf8')).toBe(String(process.pid));
    release();
    expect(() => readFileSync(join(dir, '.ghl-bridge.lock'))).toThrow();
    const again = lockDataDir(dir);
    again();
  });
});
