/**
 * HighLevel's two limits per app per resource (ghl-api.md §5): a burst of `max` requests per
 * `intervalMs` (a sliding window here; the real algorithm is UNVERIFIED) and a daily count that
 * resets at midnight UTC (UNVERIFIED).
 */
export interface RateLimitConfig {
  enabled: boolean;
  max: number;
  intervalMs: number;
  daily: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { enabled: true, max: 100, intervalMs: 10_000, daily: 200_000 };

export interface RateDecision {
  allowed: boolean;
  scope: 'burst' | 'daily' | null;
  headers: Record<string, string>;
}

const UNLIMITED = String(1_000_000_000);
const UNLIMITED_HEADERS: Record<string, string> = {
  'X-RateLimit-Limit-Daily': UNLIMITED,
  'X-RateLimit-Daily-Remaining': UNLIMITED,
  'X-RateLimit-Interval-Milliseconds': '1000',
  'X-RateLimit-Max': UNLIMITED,
  'X-RateLimit-Remaining': UNLIMITED,
};

interface Bucket {
  /** arrival times inside the window, oldest first, from `head` on */
  times: number[];
  head: number;
  day: string;
  dailyUsed: number;
}

export class RateLimiter {
  private buckets = new Map<string, Bucket>();

  constructor(
    public config: RateLimitConfig,
    private readonly now: () => number = Date.now,
  ) {}

  reset(): void {
    this.buckets.clear();
  }

  /** Counts one request for `key` if both limits allow it. */
  take(key: string): RateDecision {
    // Off: advertise a budget no client can spend, so governed clients do not slow themselves down.
    if (!this.config.enabled) return { allowed: true, scope: null, headers: UNLIMITED_HEADERS };
    const now = this.now();
    const { max, intervalMs, daily } = this.config;
    const bucket = this.bucket(key, now);
    const inWindow = bucket.times.length - bucket.head;
    let scope: RateDecision['scope'] = null;
    if (bucket.dailyUsed >= daily) scope = 'daily';
    else if (inWindow >= max) scope = 'burst';
    if (scope === null) {
      bucket.times.push(now);
      bucket.dailyUsed++;
    }
    const used = bucket.times.length - bucket.head;
    const headers: Record<string, string> = {
      'X-RateLimit-Limit-Daily': String(daily),
      'X-RateLimit-Daily-Remaining': String(Math.max(0, daily - bucket.dailyUsed)),
      'X-RateLimit-Interval-Milliseconds': String(intervalMs),
      'X-RateLimit-Max': String(max),
      'X-RateLimit-Remaining': String(Math.max(0, max - used)),
    };
    if (scope === 'burst') {
      const oldest = bucket.times[bucket.head]!;
      headers['Retry-After'] = String(Math.max(1, Math.ceil((oldest + intervalMs - now) / 1000)));
    }
    return { allowed: scope === null, scope, headers };
  }

  /** Current state for the admin API, without counting a request. */
  peek(key: string): { remaining: number; dailyRemaining: number } {
    const bucket = this.bucket(key, this.now());
    return {
      remaining: Math.max(0, this.config.max - (bucket.times.length - bucket.head)),
      dailyRemaining: Math.max(0, this.config.daily - bucket.dailyUsed),
    };
  }

  private bucket(key: string, now: number): Bucket {
    const day = new Date(now).toISOString().slice(0, 10);
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = { times: [], head: 0, day, dailyUsed: 0 }));
    if (bucket.day !== day) {
      bucket.day = day;
      bucket.dailyUsed = 0;
    }
    const cutoff = now - this.config.intervalMs;
    while (bucket.head < bucket.times.length && bucket.times[bucket.head]! <= cutoff) bucket.head++;
    // Compact now and then so the array does not grow without bound.
    if (bucket.head > 1024 && bucket.head * 2 > bucket.times.length) {
      bucket.times = bucket.times.slice(bucket.head);
      bucket.head = 0;
    }
    return bucket;
  }
}
