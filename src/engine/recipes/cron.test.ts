import { describe, expect, it } from 'vitest';
import { cronMatches, nextCronRun, parseCron, validateCron, type CronSchedule } from './cron.js';

function schedule(expression: string): CronSchedule {
  const parsed = parseCron(expression);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.schedule;
}

describe('parseCron', () => {
  it('expands lists, ranges, steps and names', () => {
    const s = schedule('0-59/15 9-17/4 1,15 JAN-MAR,dec MON-FRI');
    expect(s.minutes).toEqual([0, 15, 30, 45]);
    expect(s.hours).toEqual([9, 13, 17]);
    expect(s.daysOfMonth).toEqual([1, 15]);
    expect(s.months).toEqual([1, 2, 3, 12]);
    expect(s.daysOfWeek).toEqual([1, 2, 3, 4, 5]);
    expect(s.dayOfMonthRestricted && s.dayOfWeekRestricted).toBe(true);
  });

  it('reads */n, n/n, weekday 7 as Sunday, and macros', () => {
    expect(schedule('*/20 * * * *').minutes).toEqual([0, 20, 40]);
    expect(schedule('50/5 * * * *').minutes).toEqual([50, 55]);
    expect(schedule('0 0 * * 5-7').daysOfWeek).toEqual([0, 5, 6]);
    expect(schedule('@daily')).toEqual(schedule('0 0 * * *'));
    expect(schedule('  @Hourly ')).toEqual(schedule('0 * * * *'));
    expect(schedule('0 0 * * *').dayOfMonthRestricted).toBe(false);
  });

  it.each([
    ['* * * *', 'expected 5 fields (minute hour day-of-month month day-of-week), got 4'],
    ['* * * * * *', 'got 6'],
    ['60 * * * *', 'minute field "60": 60 is out of range 0-59'],
    ['* 24 * * *', 'hour field "24": 24 is out of range 0-23'],
    ['* * 0 * *', 'day-of-month field "0": 0 is out of range 1-31'],
    ['* * * 13 *', 'month field "13": 13 is out of range 1-12'],
    ['* * * * 8', 'day-of-week field "8": 8 is out of range 0-7'],
    ['*/0 * * * *', 'step 0 must be at least 1'],
    ['*/61 * * * *', 'step 61 is larger than the range 0-59'],
    ['5-2 * * * *', 'range 5-2 goes backwards'],
    ['* * * FOO *', 'unknown name "FOO"'],
    ['a * * * *', '"a" is not a number'],
    ['1,,2 * * * *', 'cannot read ""'],
    ['0 0 30 2 *', 'never runs'],
    ['@often', 'unknown macro "@often"'],
    ['@constructor', 'unknown macro'],
    ['', 'got 0'],
  ])('refuses %j', (expression, message) => {
    expect(validateCron(expression)).toContain(message);
  });

  it('accepts Feb 29 and impossible days when the weekday also decides', () => {
    expect(validateCron('0 0 29 2 *')).toBeNull();
    expect(validateCron('0 0 31 2 MON')).toBeNull();
  });
});

describe('cronMatches', () => {
  it('matches the UTC minute, with Vixie day semantics', () => {
    const mondays = schedule('30 9 * * MON');
    expect(cronMatches(mondays, new Date('2026-03-02T09:30:59Z'))).toBe(true);
    expect(cronMatches(mondays, new Date('2026-03-03T09:30:00Z'))).toBe(false);
    const either = schedule('0 0 1 * MON'); // the 1st OR a Monday
    expect(cronMatches(either, new Date('2026-03-01T00:00:00Z'))).toBe(true); // a Sunday, the 1st
    expect(cronMatches(either, new Date('2026-03-09T00:00:00Z'))).toBe(true); // a Monday
    expect(cronMatches(either, new Date('2026-03-10T00:00:00Z'))).toBe(false);
  });
});

describe('nextCronRun', () => {
  it.each([
    ['0 0 1 * *', '2026-03-15T12:00:00Z', '2026-04-01T00:00:00.000Z'],
    ['*/15 * * * *', '2026-03-15T12:07:30Z', '2026-03-15T12:15:00.000Z'],
    ['*/15 * * * *', '2026-03-15T12:15:00Z', '2026-03-15T12:30:00.000Z'],
    ['0 9 * * MON-FRI', '2026-03-06T10:00:00Z', '2026-03-09T09:00:00.000Z'],
    ['0 0 29 2 *', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['59 23 31 12 *', '2026-12-31T23:59:00Z', '2027-12-31T23:59:00.000Z'],
  ])('%s after %s is %s', (expression, after, next) => {
    const run = nextCronRun(schedule(expression), new Date(after));
    expect(run?.toISOString()).toBe(next);
    expect(cronMatches(schedule(expression), run!)).toBe(true);
  });
});
