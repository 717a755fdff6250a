import { nextUtcMidnight } from '../core/errors.js';
import type { GovernorObservation } from './observation.js';
import type { Admission, RateBudgetSnapshot, RateBudgetStore, RateLimits } from './types.js';

/** HighLevel's documented limits per app per resource (ghl-api.md §5), used until an answer says otherwise. */
export const DEFAULT_RATE_LIMITS: Readonly<RateLimits> = { max: 100, intervalMs: 10_000, daily: 200_000 };

/** How soon a request waiting for the first answer of a key asks again. */
const PROBE_WAIT_MS = 250;

export interface MemoryRateBudgetStoreOptions {
  /** Limits assumed before the first answer of a key (default 100 / 10 000 ms / 200 000). */
  defaults?: Partial<RateLimits>;
  /**
   * Past half its window, a key sends one request per `interval / max` instead of all it may at
   * once (default true). False lets a key spend its whole window in one burst.
   */
  pace?: boolean;
}

interface KeyState {
  limits: RateLimits;
  /** an answer has been observed: until then only one request (the probe) is in flight */
  learned: boolean;
  /** ticket → admission time */
  inFlight: Map<string, number>;
  /** answer times, ascending; kept two intervals (one to count, one to judge late observations) */
  answered: number[];
  /** budget spent by someone else, learned from X-RateLimit-Remaining; `at` ascending */
  foreign: Array<{ at: number; n: number }>;
  /** after a 429: nothing is sent before this */
  blockedUntil: number;
  /** pacing: the theoretical time of the next admission (GCRA), epoch ms */
  tat: number;
  day: string;
  dailyUsed: number;
}

/** Index of the first element of ascending `xs` greater than `t`. */
function firstAfter(xs: readonly number[], t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * The in-process `RateBudgetStore`. Per key it counts the requests in flight plus those whose
 * answer arrived within the last interval — HighLevel saw each of them no later than its answer, so
 * under a sliding (or fixed) window a slot is surely free again at `answer + interval` — and admits
 * a request only while that count is below `max`. The limits come from the `X-RateLimit-*` headers
 * of the answers; `X-RateLimit-Remaining` lower than our own count reveals budget spent by another
 * process, which is then counted too. A 429 blocks the key until its `Retry-After` (or one interval).
 *
 * A quiet key lets up to half its window go at once; past that, admissions are paced one per
 * `interval / max` (a GCRA schedule), so a saturated key sends a smooth stream instead of a burst of
 * `max` requests each time the window turns over — bursts that would otherwise line up across keys
 * and inflate every round trip (and a round trip is what each slot loses per cycle).
 *
 * @example
 * const store = new MemoryRateBudgetStore();
 * const send = compose([retry(), governor({ store }), headers(), auth], fetchTransport({ baseUrl }));
 */
export class MemoryRateBudgetStore implements RateBudgetStore {
  private readonly budgets = new Map<string, KeyState>();
  private readonly defaults: RateLimits;
  private readonly pace: boolean;
  private seq = 0;

  constructor(options: MemoryRateBudgetStoreOptions = {}) {
    this.defaults = { ...DEFAULT_RATE_LIMITS, ...options.defaults };
    this.pace = options.pace ?? true;
  }

  async acquire(key: string, now: number): Promise<Admission> {
    const s = this.state(key, now);
    if (s.dailyUsed >= s.limits.daily) return { granted: false, retryAt: nextUtcMidnight(now), scope: 'daily' };
    if (now < s.blockedUntil) return { granted: false, retryAt: s.blockedUntil, scope: 'burst' };
    // The first answer teaches the real limits: until it comes, one request at a time. It comes
    // within a round trip (and wakes the waiters in this process): ask again soon, never an interval later.
    if (!s.learned && s.inFlight.size > 0) return { granted: false, retryAt: now + Math.min(s.limits.intervalMs, PROBE_WAIT_MS), scope: 'burst' };
    const used = this.inWindow(s, now);
    if (used >= s.limits.max) return { granted: false, retryAt: this.nextFree(s, now), scope: 'burst' };
    // Past half the window, pace: one request per interval/max (one step of slack absorbs late timers).
    const spacing = s.limits.intervalMs / s.limits.max;
    if (this.pace && used >= Math.ceil(s.limits.max / 2) && now < s.tat - spacing) return { granted: false, retryAt: s.tat - spacing, scope: 'burst' };
    s.tat = Math.max(s.tat, now) + spacing;
    const ticket = String(++this.seq);
    s.inFlight.set(ticket, now);
    s.dailyUsed++;
    return { granted: true, ticket };
  }

  async release(key: string, ticket: string, at: number): Promise<void> {
    const s = this.budgets.get(key);
    if (!s?.inFlight.delete(ticket)) return;
    let i = s.answered.length;
    while (i > 0 && s.answered[i - 1]! > at) i--;
    s.answered.splice(i, 0, at);
  }

  async observe(key: string, o: GovernorObservation): Promise<void> {
    const s = this.state(key, o.at);
    s.learned = true;
    if (o.max) s.limits.max = o.max;
    if (o.intervalMs) s.limits.intervalMs = o.intervalMs;
    if (o.daily) s.limits.daily = o.daily;
    if (o.dailyRemaining !== undefined && dayOf(o.at) === s.day) s.dailyUsed = Math.max(s.dailyUsed, s.limits.daily - o.dailyRemaining);
    if (o.refused) s.blockedUntil = Math.max(s.blockedUntil, o.at + (o.retryAfterMs ?? s.limits.intervalMs));
    if (o.remaining !== undefined) {
      const deficit = s.limits.max - o.remaining - this.inWindow(s, o.sentAt ?? o.at);
      if (deficit > 0) s.foreign.push({ at: o.at, n: deficit });
    }
  }

  async snapshot(key: string, now: number): Promise<RateBudgetSnapshot> {
    const s = this.state(key, now);
    return { limits: { ...s.limits }, learned: s.learned, inWindow: this.inWindow(s, now), day: s.day, dailyUsed: s.dailyUsed, blockedUntil: s.blockedUntil };
  }

  async keys(): Promise<string[]> {
    return [...this.budgets.keys()].sort();
  }

  private state(key: string, now: number): KeyState {
    let s = this.budgets.get(key);
    if (!s) {
      s = { limits: { ...this.defaults }, learned: false, inFlight: new Map(), answered: [], foreign: [], blockedUntil: 0, tat: 0, day: dayOf(now), dailyUsed: 0 };
      this.budgets.set(key, s);
    }
    const day = dayOf(now);
    if (day > s.day) {
      s.day = day;
      s.dailyUsed = 0;
    }
    const horizon = now - 2 * s.limits.intervalMs;
    s.answered.splice(0, firstAfter(s.answered, horizon));
    while (s.foreign.length > 0 && s.foreign[0]!.at <= horizon) s.foreign.shift();
    return s;
  }

  /**
   * The requests we know of that HighLevel may count at time `t`: in flight, answered less than an
   * interval before `t`, or spent by others then. For `t` = the admission time of an answered request
   * it bounds what HighLevel can have counted when that request arrived (it arrived after `t`).
   */
  private inWindow(s: KeyState, t: number): number {
    const since = t - s.limits.intervalMs;
    return s.inFlight.size + s.answered.length - firstAfter(s.answered, since) + this.foreignAfter(s, since);
  }

  private foreignAfter(s: KeyState, since: number): number {
    let n = 0;
    for (const f of s.foreign) if (f.at > since) n += f.n;
    return n;
  }

  /** When the oldest counted request leaves the window (requests in flight leave an interval after their answer at the earliest). */
  private nextFree(s: KeyState, now: number): number {
    const since = now - s.limits.intervalMs;
    const answered = s.answered[firstAfter(s.answered, since)];
    const foreign = s.foreign.find((f) => f.at > since)?.at;
    const oldest = Math.min(answered ?? Infinity, foreign ?? Infinity);
    return (Number.isFinite(oldest) ? oldest : now) + s.limits.intervalMs;
  }
}
