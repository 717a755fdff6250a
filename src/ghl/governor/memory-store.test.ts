import { describe, expect, it } from 'vitest';
import { nextUtcMidnight } from '../core/errors.js';
import { MemoryRateBudgetStore } from './memory-store.js';
import type { Admission } from './types.js';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const LIMITS = { max: 3, intervalMs: 1000, daily: 1000 };

function ticketOf(a: Admission): string {
  if (!a.granted) throw new Error(`refused until ${a.retryAt} (${a.scope})`);
  return a.ticket;
}

/** A store that has already learned LIMITS for key `k` from an answer (the probe is done). */
async function learned(limits: { max?: number; intervalMs?: number; daily?: number } = LIMITS, pace = false): Promise<MemoryRateBudgetStore> {
  const store = new MemoryRateBudgetStore({ pace });
  await store.observe('k', { at: T0 - 10_000, ...limits });
  return store;
}

describe('MemoryRateBudgetStore admission', () => {
  it('sends one probe until the first answer, then admits up to the learned max', async () => {
    const store = new MemoryRateBudgetStore({ pace: false });
    const probe = ticketOf(await store.acquire('k', T0));
    // the waiter asks again soon: the probe's answer comes within a round trip, not an interval later
    expect(await store.acquire('k', T0)).toEqual({ granted: false, retryAt: T0 + 250, scope: 'burst' });
    await store.release('k', probe, T0 + 5);
    await store.observe('k', { at: T0 + 5, sentAt: T0, max: 3, intervalMs: 1000, remaining: 2, daily: 1000, dailyRemaining: 999 });
    expect((await store.acquire('k', T0 + 5)).granted).toBe(true);
    expect((await store.acquire('k', T0 + 5)).granted).toBe(true);
    expect(await store.acquire('k', T0 + 5)).toEqual({ granted: false, retryAt: T0 + 1005, scope: 'burst' });
    expect((await store.snapshot('k', T0 + 5)).limits).toEqual(LIMITS);
  });

  it('uses the defaults 100 / 10 000 ms / 200 000 until told otherwise', async () => {
    const store = new MemoryRateBudgetStore();
    expect((await store.snapshot('k', T0)).limits).toEqual({ max: 100, intervalMs: 10_000, daily: 200_000 });
  });

  it('frees a slot one interval after the answer, not after the admission', async () => {
    const store = await learned();
    const tickets = [await store.acquire('k', T0), await store.acquire('k', T0), await store.acquire('k', T0)].map(ticketOf);
    // all three in flight: nothing can free before an interval from now
    expect(await store.acquire('k', T0 + 100)).toEqual({ granted: false, retryAt: T0 + 1100, scope: 'burst' });
    await store.release('k', tickets[0]!, T0 + 400);
    await store.release('k', tickets[1]!, T0 + 200);
    expect(await store.acquire('k', T0 + 500)).toEqual({ granted: false, retryAt: T0 + 1200, scope: 'burst' });
    expect((await store.acquire('k', T0 + 1199)).granted).toBe(false);
    expect((await store.acquire('k', T0 + 1200)).granted).toBe(true);
    expect((await store.acquire('k', T0 + 1200)).granted).toBe(false);
    expect((await store.acquire('k', T0 + 1400)).granted).toBe(true);
  });

  it('keeps keys apart', async () => {
    const store = await learned();
    for (let i = 0; i < 3; i++) ticketOf(await store.acquire('k', T0));
    expect((await store.acquire('k', T0)).granted).toBe(false);
    expect((await store.acquire('other', T0)).granted).toBe(true);
  });

  it('ignores a ticket it does not know', async () => {
    const store = await learned();
    ticketOf(await store.acquire('k', T0));
    await store.release('k', 'nope', T0);
    await store.release('unknown-key', 'nope', T0);
    expect((await store.snapshot('k', T0)).inWindow).toBe(1);
  });
});

describe('MemoryRateBudgetStore pacing', () => {
  it('lets a quiet key send half its window at once, then one request per interval/max', async () => {
    const store = await learned({ max: 10, intervalMs: 1000, daily: 1000 }, true);
    for (let i = 0; i < 5; i++) ticketOf(await store.acquire('k', T0));
    // 5 in the window: the schedule is 5 steps of 100 ms ahead, one step of slack
    expect(await store.acquire('k', T0)).toEqual({ granted: false, retryAt: T0 + 400, scope: 'burst' });
    ticketOf(await store.acquire('k', T0 + 400));
    expect(await store.acquire('k', T0 + 450)).toEqual({ granted: false, retryAt: T0 + 500, scope: 'burst' });
    ticketOf(await store.acquire('k', T0 + 500));
  });

  it('does not let late wake-ups add up: a step late is caught up by the next', async () => {
    const store = await learned({ max: 10, intervalMs: 1000, daily: 1000 }, true);
    for (let i = 0; i < 5; i++) ticketOf(await store.acquire('k', T0));
    ticketOf(await store.acquire('k', T0 + 430)); // 30 ms late
    expect(await store.acquire('k', T0 + 430)).toEqual({ granted: false, retryAt: T0 + 500, scope: 'burst' });
  });

  it('with pace: false, spends the whole window at once', async () => {
    const store = await learned({ max: 10, intervalMs: 1000, daily: 1000 }, false);
    for (let i = 0; i < 10; i++) ticketOf(await store.acquire('k', T0));
    expect((await store.acquire('k', T0)).granted).toBe(false);
  });
});

describe('MemoryRateBudgetStore corrections from the headers', () => {
  it('counts budget another process spent when Remaining is lower than anything we sent explains', async () => {
    const store = await learned({ max: 10, intervalMs: 1000, daily: 1000 });
    const t = ticketOf(await store.acquire('k', T0));
    await store.release('k', t, T0 + 10);
    // HighLevel counted 6 (ours + 5 we never sent)
    await store.observe('k', { at: T0 + 10, sentAt: T0, max: 10, remaining: 4 });
    expect((await store.snapshot('k', T0 + 10)).inWindow).toBe(6);
    for (let i = 0; i < 4; i++) ticketOf(await store.acquire('k', T0 + 10));
    expect(await store.acquire('k', T0 + 10)).toEqual({ granted: false, retryAt: T0 + 1010, scope: 'burst' });
    expect((await store.snapshot('k', T0 + 1010)).inWindow).toBe(4);
  });

  it('does not mistake its own concurrent requests for someone else’s', async () => {
    const store = await learned({ max: 10, intervalMs: 1000, daily: 1000 });
    const [a, b, c] = [await store.acquire('k', T0), await store.acquire('k', T0), await store.acquire('k', T0)].map(ticketOf);
    // answers out of order: c was counted third, a first
    await store.release('k', c!, T0 + 5);
    await store.observe('k', { at: T0 + 5, sentAt: T0, max: 10, remaining: 7 });
    await store.release('k', a!, T0 + 6);
    await store.observe('k', { at: T0 + 6, sentAt: T0, max: 10, remaining: 9 });
    await store.release('k', b!, T0 + 7);
    await store.observe('k', { at: T0 + 7, sentAt: T0, max: 10, remaining: 8 });
    expect((await store.snapshot('k', T0 + 7)).inWindow).toBe(3);
  });

  it('after a 429 sends nothing until Retry-After, or one interval without it', async () => {
    const store = await learned({ max: 10, intervalMs: 1000, daily: 1000 });
    await store.observe('k', { at: T0, refused: true, retryAfterMs: 300 });
    expect(await store.acquire('k', T0 + 1)).toEqual({ granted: false, retryAt: T0 + 300, scope: 'burst' });
    expect((await store.acquire('k', T0 + 300)).granted).toBe(true);
    await store.observe('k', { at: T0 + 400, refused: true });
    expect(await store.acquire('k', T0 + 401)).toEqual({ granted: false, retryAt: T0 + 1400, scope: 'burst' });
  });

  it('a 429 with Remaining 0 fills the window with the requests it did not know of', async () => {
    const store = await learned({ max: 5, intervalMs: 1000, daily: 1000 });
    const t = ticketOf(await store.acquire('k', T0));
    await store.release('k', t, T0 + 10);
    await store.observe('k', { at: T0 + 10, sentAt: T0, max: 5, remaining: 0, refused: true, retryAfterMs: 100 });
    // blocked 100 ms by Retry-After, then the window is still full until the foreign requests leave it
    expect(await store.acquire('k', T0 + 110)).toEqual({ granted: false, retryAt: T0 + 1010, scope: 'burst' });
  });
});

describe('MemoryRateBudgetStore daily budget', () => {
  it('refuses with scope daily until the next UTC midnight once its own count reaches the limit', async () => {
    const store = await learned({ max: 100, intervalMs: 1000, daily: 2 });
    ticketOf(await store.acquire('k', T0));
    ticketOf(await store.acquire('k', T0));
    expect(await store.acquire('k', T0)).toEqual({ granted: false, retryAt: nextUtcMidnight(T0), scope: 'daily' });
    expect((await store.snapshot('k', T0)).dailyUsed).toBe(2);
    expect((await store.acquire('k', nextUtcMidnight(T0))).granted).toBe(true);
  });

  it('believes X-RateLimit-Daily-Remaining when HighLevel counted more', async () => {
    const store = await learned();
    await store.observe('k', { at: T0, daily: 1000, dailyRemaining: 0 });
    expect(await store.acquire('k', T0 + 1)).toMatchObject({ granted: false, scope: 'daily' });
    // an answer from yesterday does not spend today's budget
    const other = await learned();
    await other.observe('k', { at: T0 - 86_400_000, daily: 1000, dailyRemaining: 0 });
    expect((await other.acquire('k', T0)).granted).toBe(true);
  });
});
