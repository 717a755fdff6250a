import { GhlNetworkError } from '../core/errors.js';
import type { GhlRequest, GhlResponse, Layer } from '../core/types.js';
import { abortedError, retryAfterMs, sleep as defaultSleep, type Sleep } from './wait.js';

export interface RetryOptions {
  /** Attempts in all, the first included (default 6). */
  maxAttempts?: number;
  /** Backoff base: attempt n waits up to `baseDelayMs * 2^(n-1)` (default 200). */
  baseDelayMs?: number;
  /** Cap of any wait; a `Retry-After` longer than this is not waited for (default 20 000). */
  maxDelayMs?: number;
  /** [0, 1) source for the jitter (default Math.random). */
  random?: () => number;
  sleep?: Sleep;
}

type Outcome = { response: GhlResponse } | { error: unknown };

/** Statuses worth another attempt: timeouts and transient server or gateway failures. */
const TRANSIENT = new Set([408, 500, 502, 503, 504, 520, 521, 522, 523, 524]);

/**
 * Retries what can safely be retried:
 * - 429 (burst): waits `Retry-After`, else `X-RateLimit-Interval-Milliseconds`, and tries again,
 *   creates included (a refused request was not carried out). A daily 429 is returned at once.
 * - 408, 5xx, timeouts, connection resets: exponential backoff with full jitter
 *   (`random() * min(maxDelayMs, baseDelayMs * 2^(attempt-1))`), or `Retry-After` when given —
 *   but only for idempotent requests. A create (`idempotent: false`) is never repeated after an
 *   ambiguous failure: its typed error surfaces with `mayHaveSucceeded: true`. A connection refused
 *   before sending is not ambiguous and is retried.
 *
 * Each attempt carries `request.attempt` (1-based). Place it outermost, outside `governor()`.
 *
 * Creating a contact exactly once: on an error with `mayHaveSucceeded`, the create may still be
 * running at HighLevel. Wait out its longest plausible run (at least your timeout), then look the
 * contact up (`GET /contacts/search/duplicate?locationId=…&email=…`) and create again only if it is
 * not there — or send an upsert (`POST /contacts/upsert`) on a location whose duplicate check is on.
 *
 * @example
 * const send = compose([retry({ maxAttempts: 6 }), governor({ store }), headers(), auth], fetchTransport({ baseUrl }));
 */
export function retry(options: RetryOptions = {}): Layer {
  const { maxAttempts = 6, baseDelayMs = 200, maxDelayMs = 20_000, random = Math.random, sleep = defaultSleep } = options;
  const backoff = (attempt: number) => random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));

  /** How long to wait before the next attempt, or null when `outcome` is final. */
  function delayAfter(outcome: Outcome, request: GhlRequest, attempt: number): number | null {
    if ('error' in outcome) {
      const e = outcome.error;
      if (!(e instanceof GhlNetworkError) || request.signal?.aborted) return null;
      return request.idempotent || !e.mayHaveSucceeded ? backoff(attempt) : null;
    }
    const { status, headers } = outcome.response;
    const after = retryAfterMs(headers, Date.now());
    if (status === 429) {
      if (headers.get('x-ratelimit-daily-remaining') === '0') return null;
      const interval = Number(headers.get('x-ratelimit-interval-milliseconds') ?? '');
      return after ?? (interval > 0 ? interval : backoff(attempt));
    }
    if (!TRANSIENT.has(status) || !request.idempotent) return null;
    return after ?? backoff(attempt);
  }

  return (next) => async (request) => {
    for (let attempt = 1; ; attempt++) {
      let outcome: Outcome;
      try {
        outcome = { response: await next({ ...request, attempt }) };
      } catch (error) {
        outcome = { error };
      }
      const delay = attempt < maxAttempts ? delayAfter(outcome, request, attempt) : null;
      if (delay === null || delay > maxDelayMs) {
        if ('error' in outcome) throw outcome.error;
        return outcome.response;
      }
      try {
        await sleep(delay, request.signal);
      } catch {
        const ambiguous = 'error' in outcome && outcome.error instanceof GhlNetworkError && outcome.error.mayHaveSucceeded;
        throw abortedError(request, 'waiting to retry', ambiguous);
      }
    }
  };
}
