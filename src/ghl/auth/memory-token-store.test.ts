import { describe, expect, it } from 'vitest';
import { MemoryTokenStore } from './memory-token-store.js';
import type { StoredTokens } from './types.js';

const tokens = (n: number): StoredTokens => ({ accessToken: `at-${n}`, refreshToken: `rt-${n}`, expiresAt: 1_000 + n });
const tick = () => new Promise((r) => setTimeout(r, 1));

describe('MemoryTokenStore', () => {
  it('stores copies per key and answers null for unknown keys', async () => {
    const store = new MemoryTokenStore({ a: tokens(1) });
    expect(await store.get('a')).toEqual(tokens(1));
    expect(await store.get('b')).toBeNull();
    const read = (await store.get('a'))!;
    read.accessToken = 'changed';
    expect((await store.get('a'))!.accessToken).toBe('at-1');
    await store.set('b', tokens(2));
    expect(await store.get('b')).toEqual(tokens(2));
    await store.delete('b');
    expect(await store.get('b')).toBeNull();
  });

  it('lock runs holders of one key one after another, in arrival order', async () => {
    const store = new MemoryTokenStore();
    const events: string[] = [];
    const holder = (name: string) =>
      store.lock('k', async () => {
        events.push(`${name}:start`);
        await tick();
        events.push(`${name}:end`);
        return name;
      });
    const results = await Promise.all([holder('a'), holder('b'), holder('c')]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    expect(store.isLocked('k')).toBe(false);
  });

  it('holders of different keys do not wait for each other', async () => {
    const store = new MemoryTokenStore();
    const events: string[] = [];
    let releaseA!: () => void;
    const a = store.lock('a', () => new Promise<void>((r) => (releaseA = r)).then(() => void events.push('a')));
    const b = store.lock('b', async () => void events.push('b'));
    await b;
    expect(events).toEqual(['b']);
    expect(store.isLocked('a')).toBe(true);
    releaseA();
    await a;
    expect(events).toEqual(['b', 'a']);
  });

  it('a holder that throws releases the lock and its error reaches the caller', async () => {
    const store = new MemoryTokenStore();
    const failing = store.lock('k', async () => {
      throw new Error('boom');
    });
    const next = store.lock('k', async () => 'ran');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
    expect(store.isLocked('k')).toBe(false);
  });
});
