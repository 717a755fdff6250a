/** The `RateBudgetStore` port: per-resource request budget shared by everyone who sends. */

export interface RateLimits {
  /** requests per interval (X-RateLimit-Max) */
  max: number;
  /** interval length in ms (X-RateLimit-Interval-Milliseconds) */
  intervalMs: number;
  /** requests per day (X-RateLimit-Limit-Daily) */
  daily: number;
}

/** What HighLevel said in the five X-RateLimit-* headers of one answer. */
export interface RateObservation {
  max?: number;
  intervalMs?: number;
  remaining?: number;
  daily?: number;
  dailyRemaining?: number;
  /** when the answer arrived (epoch ms) */
  at: number;
}

export type Admission =
  | { granted: true; ticket: string }
  /** `retryAt` epoch ms; `scope` tells a short burst wait from a spent day. */
  | { granted: false; retryAt: number; scope: 'burst' | 'daily' };

export interface RateBudgetStore {
  /** Takes one request slot for `key` now, or says when to come back. */
  acquire(key: string, now: number): Promise<Admission>;
  /** The request of `ticket` got its answer at `at` (it leaves the window at `at + interval`). */
  release(key: string, ticket: string, at: number): Promise<void>;
  /** Corrects limits and counts from the headers of an answer. */
  observe(key: string, observation: RateObservation): Promise<void>;
  /** Current view, for admin and metrics. */
  snapshot(key: string, now: number): Promise<RateBudgetSnapshot>;
  /** Every key the store holds a budget for (admin and metrics). */
  keys(): Promise<string[]>;
}

/** One key's budget as the store sees it at a moment. */
export interface RateBudgetSnapshot {
  limits: RateLimits;
  /** an answer has taught the limits (until then they are the defaults) */
  learned: boolean;
  /** requests in flight or answered within the current window (ours and others') */
  inWindow: number;
  /** UTC day of the daily count */
  day: string;
  dailyUsed: number;
  /** epoch ms until which a 429 paused the key (0 or past: not paused) */
  blockedUntil: number;
}
