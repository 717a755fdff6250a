import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.js';

function limiter(max = 3, intervalMs = 1000, daily = 10) {
  let now = Date.UTC(2026, 0, 1, 12);
  const rl = new RateLimiter({ enabled: true, max, intervalMs, daily }, () => now);
  return { rl, advance: (ms: number) => (now += ms) };
}

describe('RateLimiter', () => {
  it('admits max per window, counts down, then refuses with the burst scope', () => {
    const { rl } = limiter();
    expect(rl.take('a').headers['X-RateLimit-Remaining']).toBe('2');
    expect(rl.take('a').headers['X-RateLimit-Remaining']).toBe('1');
    expect(rl.take('a').headers['X-RateLimit-Remaining']).toBe('0');
    const refused = rl.take('a');
    expect(refused).toMatchObject({ allowed: false, scope: 'burst' });
    expect(refused.headers['Retry-After']).toBe('1');
    expect(rl.take('b').allowed).toBe(true);
  });

  it('slides: a slot frees when its request leaves the window', () => {
    const { rl, advance } = limiter();
    rl.take('a');
    advance(500);
    rl.take('a');
    rl.take('a');
    expect(rl.take('a').allowed).toBe(false);
    advance(501);
    expect(rl.take('a').allowed).toBe(true);
    expect(rl.take('a').allowed).toBe(false);
  });

  it('enforces the daily limit and resets it the next UTC day', () => {
    const { rl, advance } = limiter(100, 1000, 2);
    rl.take('a');
    expect(rl.take('a').headers['X-RateLimit-Daily-Remaining']).toBe('0');
    expect(rl.take('a')).toMatchObject({ allowed: false, scope: 'daily' });
    advance(24 * 3600 * 1000);
    expect(rl.take('a').allowed).toBe(true);
  });

  it('never refuses when disabled and advertises a budget no client spends', () => {
    const rl = new RateLimiter({ enabled: false, max: 1, intervalMs: 1000, daily: 1 });
    for (let i = 0; i < 5; i++) expect(rl.take('a').allowed).toBe(true);
    const { headers } = rl.take('a');
    expect(headers['X-RateLimit-Max']).toBe('1000000000');
    expect(headers['X-RateLimit-Remaining']).toBe('1000000000');
  });
});
