import { describe, expect, it } from 'vitest';
import { MemorySeenStore } from './seen-store.js';

describe('MemorySeenStore', () => {
  it('claims an id once while its TTL runs, and again after it', async () => {
    let now = 0;
    const store = new MemorySeenStore({ now: () => now });
    expect(await store.claim('a', 1_000)).toBe(true);
    expect(await store.claim('a', 1_000)).toBe(false);
    expect(await store.claim('b', 1_000)).toBe(true);
    now = 999;
    expect(await store.claim('a', 1_000)).toBe(false);
    now = 1_000;
    expect(await store.claim('a', 1_000)).toBe(true);
  });

  it('drops expired ids and keeps at most maxEntries, oldest out first', async () => {
    let now = 0;
    const store = new MemorySeenStore({ now: () => now, maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) expect(await store.claim(id, 10_000)).toBe(true);
    expect(store.size).toBe(3);
    expect(await store.claim('b', 10_000)).toBe(false);
    expect(await store.claim('a', 10_000)).toBe(true); // evicted, so claimable again
    now = 20_000;
    expect(await store.claim('e', 10_000)).toBe(true);
    expect(store.size).toBe(1);
  });
});
