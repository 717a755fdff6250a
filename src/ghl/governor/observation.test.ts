import { describe, expect, it } from 'vitest';
import type { GhlResponse } from '../core/types.js';
import { observationOf } from './observation.js';

const response = (status: number, headers: Record<string, string>): GhlResponse => ({
  status,
  headers: new Headers(headers),
  body: undefined,
  request: { method: 'GET', path: '/contacts/', idempotent: true },
});

const FIVE = {
  'X-RateLimit-Limit-Daily': '200000',
  'X-RateLimit-Daily-Remaining': '0',
  'X-RateLimit-Interval-Milliseconds': '10000',
  'X-RateLimit-Max': '100',
  'X-RateLimit-Remaining': '0',
};

describe('observationOf', () => {
  it('reads the five X-RateLimit-* headers (zero remaining included)', () => {
    expect(observationOf(response(200, FIVE), 2000, 1000)).toEqual({ at: 2000, sentAt: 1000, max: 100, intervalMs: 10_000, remaining: 0, daily: 200_000, dailyRemaining: 0 });
  });

  it('marks a 429 as refused, with Retry-After in ms', () => {
    expect(observationOf(response(429, { ...FIVE, 'Retry-After': '2' }), 2000, 1000)).toMatchObject({ refused: true, retryAfterMs: 2000 });
    expect(observationOf(response(429, {}), 2000, 1000)).toEqual({ at: 2000, sentAt: 1000, refused: true });
  });

  it('leaves out absent, empty, negative or unreadable values (and a max of 0)', () => {
    const o = observationOf(response(200, { 'X-RateLimit-Max': '0', 'X-RateLimit-Remaining': '-3', 'X-RateLimit-Interval-Milliseconds': 'x', 'X-RateLimit-Limit-Daily': '' }), 5, 4);
    expect(o).toEqual({ at: 5, sentAt: 4 });
  });
});
