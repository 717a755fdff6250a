import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretKeyError } from './errors.js';
import { loadKeyring, parseKeyList, writeKeyFile } from './key-source.js';
import { SecretKey } from './secret-key.js';

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ghl-bridge-keys-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('loadKeyring', () => {
  it('takes GHL_BRIDGE_SECRET_KEY first (several keys comma-separated, the current first)', async () => {
    const [a, b] = [SecretKey.generate(), SecretKey.generate()];
    const { keyring, source } = await loadKeyring({ env: { GHL_BRIDGE_SECRET_KEY: `${a.export()}, ${Buffer.from(b.export(), 'base64').toString('hex')}` }, keyFile: join(scratch(), 'never') });
    expect(source).toBe('env');
    expect(keyring.ids).toEqual([a.id, b.id]);
  });

  it('creates the key file with mode 0600 on first start and reads the same key afterwards', async () => {
    const file = join(scratch(), 'data', 'secret.key');
    const first = await loadKeyring({ env: {}, keyFile: file });
    expect(first.source).toBe('created');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o077).toBe(0);
    const again = await loadKeyring({ env: {}, keyFile: file });
    expect(again.source).toBe('file');
    expect(again.keyring.current.id).toBe(first.keyring.current.id);
  });

  it('makes one key when several processes start together', async () => {
    const file = join(scratch(), 'secret.key');
    const loaded = await Promise.all(Array.from({ length: 8 }, () => loadKeyring({ env: {}, keyFile: file })));
    expect(new Set(loaded.map((l) => l.keyring.current.id)).size).toBe(1);
    expect(loaded.filter((l) => l.source === 'created')).toHaveLength(1);
  });

  it('says clearly what is wrong, without the key', async () => {
    await expect(loadKeyring({ env: {} })).rejects.toThrow('no secret key: set GHL_BRIDGE_SECRET_KEY or give a key file');
    await expect(loadKeyring({ env: { GHL_BRIDGE_SECRET_KEY: 'abcd' } })).rejects.toThrow(/^GHL_BRIDGE_SECRET_KEY must be 32 bytes/);
    const file = join(scratch(), 'bad.key');
    writeFileSync(file, '# only a comment\n');
    await expect(loadKeyring({ env: {}, keyFile: file })).rejects.toThrow(SecretKeyError);
  });
});

describe('writeKeyFile', () => {
  it('replaces the file atomically with mode 0600, the current key first', async () => {
    const file = join(scratch(), 'secret.key');
    const [a, b] = [SecretKey.generate(), SecretKey.generate()];
    await writeKeyFile(file, [a, b]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseKeyList(readFileSync(file, 'utf8'), 'f').map((k) => k.id)).toEqual([a.id, b.id]);
    await writeKeyFile(file, [b]);
    expect(parseKeyList(readFileSync(file, 'utf8'), 'f').map((k) => k.id)).toEqual([b.id]);
  });
});
