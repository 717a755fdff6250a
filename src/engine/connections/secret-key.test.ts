import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SealedValueError, SecretKeyError } from './errors.js';
import { open, seal, SecretKey } from './secret-key.js';

describe('SecretKey', () => {
  it('reads 32 bytes as hex or base64 (either alphabet) and derives the same id', () => {
    const bytes = randomBytes(32);
    const ids = [bytes.toString('hex'), bytes.toString('hex').toUpperCase(), bytes.toString('base64'), bytes.toString('base64url'), ` ${bytes.toString('base64')}\n`].map((t) => SecretKey.parse(t).id);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^k[0-9a-f]{16}$/);
    expect(SecretKey.parse(SecretKey.parse(bytes.toString('hex')).export()).id).toBe(ids[0]);
  });

  it('refuses other lengths and junk without repeating the input', () => {
    const short = randomBytes(16).toString('base64');
    expect(() => SecretKey.parse(short)).toThrow(SecretKeyError);
    expect(() => SecretKey.parse(short)).toThrow(/decodes to 16 bytes/);
    expect(() => SecretKey.parse('not a key!', 'GHL_BRIDGE_SECRET_KEY')).toThrow(/^GHL_BRIDGE_SECRET_KEY must be 32 bytes/);
    try {
      SecretKey.parse(short);
    } catch (e) {
      expect((e as Error).message).not.toContain(short);
    }
  });

  it('never shows its material when printed or serialised', () => {
    const key = SecretKey.generate();
    const material = key.export();
    for (const shown of [JSON.stringify({ key }), String(key), inspect(key), inspect({ nested: { key } })]) {
      expect(shown).not.toContain(material);
      expect(shown).toContain(key.id);
    }
  });

  it('gives different ids to different keys', () => {
    expect(SecretKey.generate().id).not.toBe(SecretKey.generate().id);
  });
});

describe('seal and open (AES-256-GCM)', () => {
  const key = SecretKey.generate();

  it('round-trips, with a fresh IV each time and no plaintext in the output', () => {
    const a = seal(key, 'pit-secret-value', 'connection:a');
    const b = seal(key, 'pit-secret-value', 'connection:a');
    expect(a.equals(b)).toBe(false);
    expect(a.toString('latin1')).not.toContain('pit-secret-value');
    expect(a.length).toBe(1 + 12 + 16 + 'pit-secret-value'.length);
    expect(open(key, a, 'connection:a')).toBe('pit-secret-value');
    expect(open(key, new Uint8Array(b), 'connection:a')).toBe('pit-secret-value');
  });

  it('refuses another key, another context, and any altered byte', () => {
    const sealed = seal(key, 'secret', 'connection:a');
    expect(() => open(SecretKey.generate(), sealed, 'connection:a')).toThrow(SealedValueError);
    expect(() => open(key, sealed, 'connection:b', 'connection "b"')).toThrow(/connection "b" could not be decrypted/);
    for (const i of [0, 5, 20, sealed.length - 1]) {
      const altered = Buffer.from(sealed);
      altered[i] = altered[i]! ^ 1;
      expect(() => open(key, altered, 'connection:a')).toThrow(SealedValueError);
    }
    expect(() => open(key, sealed.subarray(0, 20), 'connection:a')).toThrow(/not a sealed value/);
  });
});
