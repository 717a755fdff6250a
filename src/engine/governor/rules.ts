import { nextUtcMidnight } from '../../ghl/core/errors.js';
import type { GovernorObservation } from '../../ghl/governor/observation.js';
import type { Admission, RateLimits } from '../../ghl/governor/types.js';

/**
 * The budget rules of `MemoryRateBudgetStore` (src/ghl/governor/memory-store.ts) as pure functions
 * over one key's state and a view of its window, so that the SQL store decides exactly as the
 * memory store does while the database holds the state.
 */

/** One key's row. */
export interface BudgetState {
  limits: RateLimits;
  /** an answer has been observed: until then only one request (the probe) is in flight */
  learned: boolean;
  /** after a 429: nothing is sent before this (epoch ms) */
  blockedUntil: number;
  /** pacing: the theoretical time of the next admission (GCRA), epoch ms */
  tat: number;
  /** UTC day of `dailyUsed`, `YYYY-MM-DD` */
  day: string;
  dailyUsed: number;
}

/** What the slots say about the window ending at some time `t` (since = t − interval). */
export interface WindowView {
  /** requests admitted and not answered */
  inFlight: number;
  /** requests answered after `since` */
  answered: number;
  /** requests others spent after `since` */
  foreign: number;
  /** the earliest of those answers and foreign spends (epoch ms), null if none */
  oldest: number | null;
}

export const dayOf = (t: number): string => new Date(t).toISOString().slice(0, 10);

export const initialState = (limits: RateLimits, now: number): BudgetState => ({ limits: { ...limits }, learned: false, blockedUntil: 0, tat: 0, day: dayOf(now), dailyUsed: 0 });

/** The state at `now`: a new UTC day starts the daily count again. */
export function rollDay(s: BudgetState, now: number): BudgetState {
  const day = dayOf(now);
  return day > s.day ? { ...s, day, dailyUsed: 0 } : s;
}

export const countOf = (w: WindowView): number => w.inFlight + w.answered + w.foreign;

export type Decision = { admission: Exclude<Admission, { granted: true }> } | { admission: 'grant'; next: BudgetState };

/** Whether a request may go at `now` (the state already rolled to `now`'s day, `w` ending at `now`). */
export function decide(s: BudgetState, w: WindowView, now: number, pace: boolean): Decision {
  const { max, intervalMs, daily } = s.limits;
  if (s.dailyUsed >= daily) return { admission: { granted: false, retryAt: nextUtcMidnight(now), scope: 'daily' } };
  if (now < s.blockedUntil) return { admission: { granted: false, retryAt: s.blockedUntil, scope: 'burst' } };
  // The first answer teaches the real limits: until it comes, one request at a time.
  if (!s.learned && w.inFlight > 0) return { admission: { granted: false, retryAt: now + intervalMs, scope: 'burst' } };
  const used = countOf(w);
  if (used >= max) return { admission: { granted: false, retryAt: (w.oldest ?? now) + intervalMs, scope: 'burst' } };
  // Past half the window, pace: one request per interval/max (one step of slack absorbs late timers).
  const spacing = intervalMs / max;
  if (pace && used >= Math.ceil(max / 2) && now < s.tat - spacing) return { admission: { granted: false, retryAt: s.tat - spacing, scope: 'burst' } };
  return { admission: 'grant', next: { ...s, tat: Math.max(s.tat, now) + spacing, dailyUsed: s.dailyUsed + 1 } };
}

/** The limits, counts and pause an answer teaches (the state already rolled to `o.at`'s day). */
export function applyObservation(s: BudgetState, o: GovernorObservation): BudgetState {
  const limits = { ...s.limits };
  if (o.max) limits.max = o.max;
  if (o.intervalMs) limits.intervalMs = o.intervalMs;
  if (o.daily) limits.daily = o.daily;
  let { dailyUsed, blockedUntil } = s;
  if (o.dailyRemaining !== undefined && dayOf(o.at) === s.day) dailyUsed = Math.max(dailyUsed, limits.daily - o.dailyRemaining);
  if (o.refused) blockedUntil = Math.max(blockedUntil, o.at + (o.retryAfterMs ?? limits.intervalMs));
  return { ...s, limits, learned: true, dailyUsed, blockedUntil };
}

/**
 * Requests HighLevel counted that we did not send: `X-RateLimit-Remaining` lower than what we know
 * of at the admission of the observed request (`w` ends at `o.sentAt ?? o.at`).
 */
export function foreignDeficit(s: BudgetState, o: GovernorObservation, w: WindowView): number {
  if (o.remaining === undefined) return 0;
  return Math.max(0, s.limits.max - o.remaining - countOf(w));
}
