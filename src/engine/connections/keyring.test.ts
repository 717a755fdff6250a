import { describe, expect, it } from 'vitest';
import { SealedValueError } from './errors.js';
import { Keyring } from './keyring.js';
import { SecretKey } from './secret-key.js';

describe('Keyring', () => {
  it('seals with the current key and opens with whichever key the id names', () => {
    const [a, b] = [SecretKey.generate(), SecretKey.generate()];
    const ring = new Keyring(a);
    const old = ring.seal('one', 'ctx');
    expect(old.keyId).toBe(a.id);
    ring.use(b);
    const fresh = ring.seal('two', 'ctx');
    expect(fresh.keyId).toBe(b.id);
    expect(ring.ids).toEqual([b.id, a.id]);
    expect(ring.open(old.sealed, old.keyId, 'ctx', 'x')).toBe('one');
    expect(ring.open(fresh.sealed, fresh.keyId, 'ctx', 'x')).toBe('two');
    ring.retireAll();
    expect(ring.ids).toEqual([b.id]);
    expect(() => ring.open(old.sealed, old.keyId, 'ctx', 'the secrets of connection "c1"')).toThrow(SealedValueError);
  });

  it('explains a value sealed with a key that is not loaded', () => {
    const other = SecretKey.generate();
    const sealed = new Keyring(other).seal('v', 'ctx');
    const ring = new Keyring(SecretKey.generate());
    expect(() => ring.open(sealed.sealed, sealed.keyId, 'ctx', 'the secrets of connection "c1"')).toThrow(
      `the secrets of connection "c1" was sealed with key ${other.id}, which is not loaded (loaded: ${ring.current.id})`,
    );
  });

  it('lets a rotation start only after the writes in progress and holds new writes until it ends', async () => {
    const ring = new Keyring(SecretKey.generate());
    const order: string[] = [];
    let finishWrite!: () => void;
    const write = ring.withKeys(() => new Promise<void>((resolve) => (finishWrite = () => (order.push('write 1 done'), resolve()))));
    const rotation = ring.rotating(async () => {
      order.push('rotation');
      await new Promise((r) => setTimeout(r, 10));
      order.push('rotation done');
    });
    await new Promise((r) => setTimeout(r, 5));
    const second = ring.withKeys(async () => void order.push('write 2'));
    finishWrite();
    await Promise.all([write, rotation, second]);
    expect(order).toEqual(['write 1 done', 'rotation', 'rotation done', 'write 2']);
  });
});
