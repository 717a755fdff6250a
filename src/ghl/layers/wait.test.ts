import { describe, expect, it } from 'vitest';
import { GhlNetworkError } from '../core/errors.js';
import { abortedError, retryAfterMs, sleep } from './wait.js';

describe('retryAfterMs', () => {
  const now = Date.UTC(2026, 0, 15, 12, 0, 0);
  const h = (value?: string) => new Headers(value === undefined ? {} : { 'retry-after': value });

  it('reads delta-seconds and HTTP dates', () => {
    expect(retryAfterMs(h('3'), now)).toBe(3000);
    expect(retryAfterMs(h('0.5'), now)).toBe(500);
    expect(retryAfterMs(h(new Date(now + 7000).toUTCString()), now)).toBe(7000);
    expect(retryAfterMs(h(new Date(now - 7000).toUTCString()), now)).toBe(0);
  });

  it('is undefined when absent or unreadable', () => {
    expect(retryAfterMs(h(), now)).toBeUndefined();
    expect(retryAfterMs(h(''), now)).toBeUndefined();
    expect(retryAfterMs(h('soon'), now)).toBeUndefined();
    expect(retryAfterMs(h('-1'), now)).toBeUndefined();
  });
});

describe('sleep', () => {
  it('resolves, and rejects with the reason once the signal aborts', async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    await expect(sleep(1, controller.signal)).rejects.toThrow('stop');
  });
});

describe('abortedError', () => {
  it('is a GhlNetworkError that names the request and what was aborted', () => {
    const e = abortedError({ method: 'GET', path: '/contacts/x', idempotent: true, operationId: 'get-contact' }, 'waiting to retry', false);
    expect(e).toBeInstanceOf(GhlNetworkError);
    expect(e).toMatchObject({ status: null, path: '/contacts/x', operationId: 'get-contact', mayHaveSucceeded: false });
    expect(e.message).toBe('GET /contacts/x aborted while waiting to retry');
  });
});
