import type { GhlResponse } from '../core/types.js';
import { retryAfterMs } from '../layers/wait.js';
import type { RateObservation } from './types.js';

/**
 * What the governor layer reports to `RateBudgetStore.observe`: the port's `RateObservation` plus
 * three optional facts a store may use (a store that ignores them stays safe, only less exact).
 */
export interface GovernorObservation extends RateObservation {
  /** When the observed request was admitted (epoch ms): HighLevel counted it no earlier. */
  sentAt?: number;
  /** The answer was a 429 refusal (HighLevel did not count the request). */
  refused?: boolean;
  /** `Retry-After` of a refusal, in ms. */
  retryAfterMs?: number;
}

function positive(headers: Headers, name: string, allowZero = false): number | undefined {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && (n > 0 || (allowZero && n === 0)) ? n : undefined;
}

/**
 * Reads the five `X-RateLimit-*` headers (ghl-api.md §5) of an answer received at `at` to a request
 * admitted at `sentAt`. Absent or unreadable headers stay undefined.
 *
 * @example
 * await store.observe(key, observationOf(response, Date.now(), sentAt));
 */
export function observationOf(response: GhlResponse, at: number, sentAt: number): GovernorObservation {
  const h = response.headers;
  const observation: GovernorObservation = { at, sentAt };
  const max = positive(h, 'x-ratelimit-max');
  const intervalMs = positive(h, 'x-ratelimit-interval-milliseconds');
  const remaining = positive(h, 'x-ratelimit-remaining', true);
  const daily = positive(h, 'x-ratelimit-limit-daily');
  const dailyRemaining = positive(h, 'x-ratelimit-daily-remaining', true);
  if (max !== undefined) observation.max = max;
  if (intervalMs !== undefined) observation.intervalMs = intervalMs;
  if (remaining !== undefined) observation.remaining = remaining;
  if (daily !== undefined) observation.daily = daily;
  if (dailyRemaining !== undefined) observation.dailyRemaining = dailyRemaining;
  if (response.status === 429) {
    observation.refused = true;
    const wait = retryAfterMs(h, at);
    if (wait !== undefined) observation.retryAfterMs = wait;
  }
  return observation;
}
