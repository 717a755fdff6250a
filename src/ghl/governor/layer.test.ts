import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GhlNetworkError, GhlRateLimitError, nextUtcMidnight } from '../core/errors.js';
import { compose, type GhlRequest } from '../core/types.js';
import { scriptedTransport, type ScriptStep } from '../testing/scripted-transport.js';
import { governor } from './layer.js';
import { MemoryRateBudgetStore } from './memory-store.js';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

/** Answers like the sandbox: 200 with the five X-RateLimit-* headers (max 2 per 1 000 ms). */
function ok(extra: Record<string, string> = {}): ScriptStep {
  return {
    status: 200,
    body: {},
    headers: {
      'x-ratelimit-max': '2',
      'x-ratelimit-interval-milliseconds': '1000',
      'x-ratelimit-remaining': '1',
      'x-ratelimit-limit-daily': '1000',
      'x-ratelimit-daily-remaining': '999',
      ...extra,
    },
  };
}

const get = (path: string, resourceId: string | null = 'loc', signal?: AbortSignal): GhlRequest => ({ method: 'GET', path, idempotent: true, resourceId: resourceId ?? undefined, signal });

/** A transport that answers every request with `step` and records when each was sent. */
function recording(step: () => ScriptStep = () => ok()) {
  const sent: Array<{ path: string; at: number }> = [];
  const t = scriptedTransport(Array.from({ length: 100 }, () => (r: GhlRequest) => (sent.push({ path: r.path, at: Date.now() - T0 }), step())));
  return { ...t, sent };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('governor', () => {
  it('passes requests without a key (and anonymous ones) straight through', async () => {
    const store = new MemoryRateBudgetStore();
    const acquire = vi.spyOn(store, 'acquire');
    const t = recording();
    const send = compose([governor({ store })], t.send);
    await send(get('/a', null));
    await send({ ...get('/b'), anonymous: true });
    expect(acquire).not.toHaveBeenCalled();
    expect(t.sent.map((s) => s.path)).toEqual(['/a', '/b']);
  });

  it('probes once, learns the limits from the headers and never exceeds them per interval', async () => {
    const t = recording();
    const send = compose([governor({ store: new MemoryRateBudgetStore() })], t.send);
    const all = Promise.all([0, 1, 2, 3, 4].map((i) => send(get(`/r${i}`))));
    await vi.advanceTimersByTimeAsync(3000);
    await all;
    expect(t.sent).toEqual([
      { path: '/r0', at: 0 },
      { path: '/r1', at: 0 },
      { path: '/r2', at: 1000 },
      { path: '/r3', at: 1000 },
      { path: '/r4', at: 2000 },
    ]);
  });

  it('serves the waiters of a key first come first served, and keys independently', async () => {
    const t = recording();
    const send = compose([governor({ store: new MemoryRateBudgetStore() })], t.send);
    const all = Promise.all([
      ...[0, 1, 2, 3, 4, 5].map((i) => send(get(`/busy${i}`, 'busy'))),
      send(get('/quiet', 'quiet')),
    ]);
    await vi.advanceTimersByTimeAsync(5000);
    await all;
    expect(t.sent.filter((s) => s.path.startsWith('/busy')).map((s) => s.path)).toEqual(['/busy0', '/busy1', '/busy2', '/busy3', '/busy4', '/busy5']);
    expect(t.sent.find((s) => s.path === '/quiet')!.at).toBe(0);
  });

  it('fails fast with a daily GhlRateLimitError, without sending, once the day is spent', async () => {
    const t = recording(() => ok({ 'x-ratelimit-daily-remaining': '0' }));
    const send = compose([governor({ store: new MemoryRateBudgetStore() })], t.send);
    await send(get('/last'));
    const error = await send(get('/one-too-many')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhlRateLimitError);
    expect(error).toMatchObject({ scope: 'daily', resetAt: nextUtcMidnight(T0), status: null, path: '/one-too-many' });
    expect(t.sent.map((s) => s.path)).toEqual(['/last']);
  });

  it('after a 429 waits for Retry-After before sending again on that key', async () => {
    let n = 0;
    const t = recording(() => (n++ === 1 ? { status: 429, headers: { ...ok().headers, 'x-ratelimit-remaining': '0', 'retry-after': '3' } } : ok({ 'x-ratelimit-max': '100', 'x-ratelimit-remaining': '99' })));
    const send = compose([governor({ store: new MemoryRateBudgetStore() })], t.send);
    await send(get('/a'));
    expect((await send(get('/b'))).status).toBe(429);
    const c = send(get('/c'));
    await vi.advanceTimersByTimeAsync(5000);
    await c;
    expect(t.sent.map((s) => s.at)).toEqual([0, 0, 3000]);
  });

  it('counts a request that failed without an answer until one interval after the failure', async () => {
    let n = 0;
    const t = recording(() => (n++ === 1 ? { error: new GhlNetworkError('GET /b timed out', { status: null, method: 'GET', path: '/b' }, true) } : ok({ 'x-ratelimit-max': '1' })));
    const store = new MemoryRateBudgetStore();
    const send = compose([governor({ store })], t.send);
    await send(get('/a'));
    await vi.advanceTimersByTimeAsync(1000);
    await expect(send(get('/b'))).rejects.toBeInstanceOf(GhlNetworkError);
    expect((await store.snapshot('loc', Date.now())).inWindow).toBe(1);
    const c = send(get('/c'));
    await vi.advanceTimersByTimeAsync(2000);
    await c;
    expect(t.sent.map((s) => s.at)).toEqual([0, 1000, 2000]);
  });

  it('gives up waiting when the caller aborts, sends nothing, and lets the next waiter on', async () => {
    const t = recording();
    const send = compose([governor({ store: new MemoryRateBudgetStore() })], t.send);
    await Promise.all([send(get('/a')), send(get('/b'))]);
    const controller = new AbortController();
    const waiting = send(get('/aborted', 'loc', controller.signal)).catch((e: unknown) => e);
    const after = send(get('/after'));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    const error = await waiting;
    expect(error).toBeInstanceOf(GhlNetworkError);
    expect(error).toMatchObject({ mayHaveSucceeded: false });
    await vi.advanceTimersByTimeAsync(1000);
    await after;
    expect(t.sent.map((s) => s.path)).toEqual(['/a', '/b', '/after']);
  });

  it('accepts a custom key and clock', async () => {
    const store = new MemoryRateBudgetStore();
    const t = recording();
    const send = compose([governor({ store, keyOf: (r) => `app1:${r.resourceId}`, now: () => 42 })], t.send);
    await send(get('/a'));
    expect((await store.snapshot('app1:loc', 42)).inWindow).toBe(1);
    expect((await store.snapshot('loc', 42)).inWindow).toBe(0);
  });
});
