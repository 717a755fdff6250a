import { describe, expect, it } from 'vitest';
import { nextUtcMidnight } from '../../ghl/core/errors.js';
import { applyObservation, decide, foreignDeficit, initialState, rollDay, type BudgetState, type WindowView } from './rules.js';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const EMPTY: WindowView = { inFlight: 0, answered: 0, foreign: 0, oldest: null };
const learned = (over: Partial<BudgetState> = {}): BudgetState => ({ ...initialState({ max: 4, intervalMs: 1000, daily: 100 }, T0), learned: true, ...over });

describe('rate budget rules', () => {
  it('grants while the window has room and moves the pacing schedule and the daily count', () => {
    const d = decide(learned(), EMPTY, T0, true);
    expect(d).toEqual({ admission: 'grant', next: expect.objectContaining({ tat: T0 + 250, dailyUsed: 1 }) });
  });

  it('refuses a full window until its oldest request leaves it', () => {
    expect(decide(learned(), { inFlight: 1, answered: 2, foreign: 1, oldest: T0 - 300 }, T0, false).admission).toEqual({ granted: false, retryAt: T0 + 700, scope: 'burst' });
    // only requests in flight: nothing frees before an interval from now
    expect(decide(learned(), { ...EMPTY, inFlight: 4 }, T0, false).admission).toEqual({ granted: false, retryAt: T0 + 1000, scope: 'burst' });
  });

  it('sends one probe before the first answer, and nothing while paused', () => {
    expect(decide({ ...learned(), learned: false }, { ...EMPTY, inFlight: 1 }, T0, false).admission).toEqual({ granted: false, retryAt: T0 + 1000, scope: 'burst' });
    expect(decide(learned({ blockedUntil: T0 + 5 }), EMPTY, T0, false).admission).toEqual({ granted: false, retryAt: T0 + 5, scope: 'burst' });
  });

  it('paces past half the window', () => {
    expect(decide(learned({ tat: T0 + 600 }), { ...EMPTY, answered: 2, oldest: T0 - 10 }, T0, true).admission).toEqual({ granted: false, retryAt: T0 + 350, scope: 'burst' });
    expect(decide(learned({ tat: T0 + 600 }), { ...EMPTY, answered: 2, oldest: T0 - 10 }, T0, false).admission).toBe('grant');
  });

  it('answers scope daily once the day is spent, and a new UTC day starts again', () => {
    const spent = learned({ dailyUsed: 100 });
    expect(decide(spent, EMPTY, T0, false).admission).toEqual({ granted: false, retryAt: nextUtcMidnight(T0), scope: 'daily' });
    expect(rollDay(spent, nextUtcMidnight(T0)).dailyUsed).toBe(0);
    expect(rollDay(spent, T0)).toBe(spent);
  });

  it('learns limits, the daily count and the pause from an answer', () => {
    const s = applyObservation(initialState({ max: 100, intervalMs: 10_000, daily: 200_000 }, T0), { at: T0, max: 10, intervalMs: 2000, daily: 50, dailyRemaining: 20, refused: true });
    expect(s).toMatchObject({ learned: true, limits: { max: 10, intervalMs: 2000, daily: 50 }, dailyUsed: 30, blockedUntil: T0 + 2000 });
    // an answer of an earlier day does not spend today's budget
    expect(applyObservation(learned(), { at: T0 - 86_400_000, dailyRemaining: 0 }).dailyUsed).toBe(0);
  });

  it('counts as foreign only what Remaining says beyond what we know of', () => {
    const s = learned({ limits: { max: 10, intervalMs: 1000, daily: 100 } });
    expect(foreignDeficit(s, { at: T0, remaining: 4 }, { ...EMPTY, answered: 1 })).toBe(5);
    expect(foreignDeficit(s, { at: T0, remaining: 9 }, { ...EMPTY, answered: 3 })).toBe(0);
    expect(foreignDeficit(s, { at: T0 }, EMPTY)).toBe(0);
  });
});
