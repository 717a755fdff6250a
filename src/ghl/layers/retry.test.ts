import { describe, expect, it } from 'vitest';
import { createCall } from '../core/call.js';
import { GhlNetworkError, GhlRateLimitError, GhlServerError } from '../core/errors.js';
import { compose, type GhlRequest } from '../core/types.js';
import { scriptedTransport, type ScriptStep } from '../testing/scripted-transport.js';
import { retry, type RetryOptions } from './retry.js';

const get: GhlRequest = { method: 'GET', path: '/contacts/abc', idempotent: true, resourceId: 'loc' };
const create: GhlRequest = { method: 'POST', path: '/contacts/', body: { email: 'a@b.co' }, idempotent: false, resourceId: 'loc' };

const network = (mayHaveSucceeded: boolean) => new GhlNetworkError('POST /contacts/ failed', { status: null, method: 'POST', path: '/contacts/' }, mayHaveSucceeded);

/** The retry layer over a scripted transport, with the waits recorded instead of slept. */
function setup(steps: ScriptStep[], options: RetryOptions = {}) {
  const t = scriptedTransport(steps);
  const delays: number[] = [];
  const send = compose([retry({ random: () => 0.5, sleep: async (ms) => void delays.push(ms), ...options })], t.send);
  return { t, delays, send, call: createCall(send) };
}

describe('retry: idempotent requests', () => {
  it('retries a 503 after a jittered backoff and numbers the attempts', async () => {
    const { t, delays, send } = setup([{ status: 503 }, { status: 502 }, { status: 200, body: { ok: 1 } }]);
    const response = await send(get);
    expect(response.status).toBe(200);
    expect(t.requests.map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(delays).toEqual([100, 200]);
  });

  it('doubles the ceiling per attempt, caps it, and returns the last answer after maxAttempts', async () => {
    const { t, delays, send } = setup(Array.from({ length: 6 }, () => ({ status: 500 })), { random: () => 0.999, baseDelayMs: 100, maxDelayMs: 500 });
    expect((await send(get)).status).toBe(500);
    expect(t.requests).toHaveLength(6);
    expect(delays.map(Math.round)).toEqual([100, 200, 400, 500, 500]);
  });

  it('uses full jitter: random 0 means no wait', async () => {
    const { delays, send } = setup([{ status: 504 }, { status: 200 }], { random: () => 0 });
    await send(get);
    expect(delays).toEqual([0]);
  });

  it('honours Retry-After on a 5xx, and gives up when it is longer than maxDelayMs', async () => {
    const a = setup([{ status: 503, headers: { 'retry-after': '2' } }, { status: 200 }]);
    await a.send(get);
    expect(a.delays).toEqual([2000]);
    const b = setup([{ status: 503, headers: { 'retry-after': '60' } }, { status: 200 }]);
    expect((await b.send(get)).status).toBe(503);
    expect(b.t.requests).toHaveLength(1);
  });

  it('retries timeouts and connection resets', async () => {
    const { t, send } = setup([{ error: network(true) }, { error: network(true) }, { status: 200 }]);
    expect((await send(get)).status).toBe(200);
    expect(t.requests).toHaveLength(3);
  });

  it('does not retry 4xx answers other than 408 and 429, nor errors that are not network errors', async () => {
    for (const status of [400, 401, 403, 404, 422]) {
      const { t, send } = setup([{ status }, { status: 200 }]);
      expect((await send(get)).status).toBe(status);
      expect(t.requests).toHaveLength(1);
    }
    const daily = new GhlRateLimitError('spent', { status: null, method: 'GET', path: '/contacts/abc' }, 'daily', 0);
    const { t, send } = setup([{ error: daily }, { status: 200 }]);
    await expect(send(get)).rejects.toBe(daily);
    expect(t.requests).toHaveLength(1);
  });
});

describe('retry: rate limits', () => {
  it('waits Retry-After after a burst 429, else the interval header, and retries even a create', async () => {
    const { t, delays, send } = setup([
      { status: 429, headers: { 'retry-after': '3', 'x-ratelimit-interval-milliseconds': '10000' } },
      { status: 429, headers: { 'x-ratelimit-interval-milliseconds': '10000' } },
      { status: 201, body: { contact: { id: 'c1' } } },
    ]);
    expect((await send(create)).status).toBe(201);
    expect(delays).toEqual([3000, 10_000]);
    expect(t.requests.map((r) => r.attempt)).toEqual([1, 2, 3]);
  });

  it('returns a daily 429 at once', async () => {
    const { t, call } = setup([{ status: 429, headers: { 'x-ratelimit-daily-remaining': '0' } }, { status: 200 }]);
    await expect(call(get)).rejects.toMatchObject({ scope: 'daily' });
    expect(t.requests).toHaveLength(1);
  });
});

describe('retry: non-idempotent creates', () => {
  it('surfaces a 5xx at once with mayHaveSucceeded', async () => {
    const { t, call } = setup([{ status: 502 }, { status: 201 }]);
    const error = await call(create).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GhlServerError);
    expect(error).toMatchObject({ mayHaveSucceeded: true, status: 502 });
    expect(t.requests).toHaveLength(1);
  });

  it('surfaces a timeout at once with mayHaveSucceeded', async () => {
    const lost = network(true);
    const { t, call } = setup([{ error: lost }, { status: 201 }]);
    await expect(call(create)).rejects.toBe(lost);
    expect(t.requests).toHaveLength(1);
  });

  it('retries a connection refused before sending (nothing can have happened)', async () => {
    const { t, send } = setup([{ error: network(false) }, { status: 201 }]);
    expect((await send(create)).status).toBe(201);
    expect(t.requests).toHaveLength(2);
  });
});

describe('retry: cancellation', () => {
  it('stops waiting when the caller aborts and says whether the last attempt may have succeeded', async () => {
    const controller = new AbortController();
    const t = scriptedTransport([{ error: network(false) }, { status: 200 }]);
    const send = compose([retry({ sleep: (_ms, signal) => new Promise((_resolve, reject) => signal!.addEventListener('abort', () => reject(signal!.reason as Error))) })], t.send);
    const pending = send({ ...create, signal: controller.signal }).catch((e: unknown) => e);
    await new Promise((r) => setImmediate(r));
    controller.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(GhlNetworkError);
    expect(error).toMatchObject({ mayHaveSucceeded: false });
    expect((error as Error).message).toMatch(/aborted/);
    expect(t.requests).toHaveLength(1);
  });
});
