import { describe, expect, it } from 'vitest';
import { calendarDate, fromWallClock, isTimeZone, parseOffset, shiftInstant, wallClock } from './date-math.js';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (text: string) => Date.parse(text);

describe('date math in a time zone', () => {
  it('reads offsets and refuses anything else', () => {
    expect(parseOffset('+2d')).toEqual({ amount: 2, unit: 'd' });
    expect(parseOffset('-3h')).toEqual({ amount: -3, unit: 'h' });
    expect(parseOffset('+30m')).toEqual({ amount: 30, unit: 'm' });
    expect(parseOffset('+1w')).toEqual({ amount: 1, unit: 'w' });
    expect(parseOffset('+2bd')).toEqual({ amount: 2, unit: 'bd' });
    for (const bad of ['2d', '+2', '+2 days', '+d', '+2y', '']) expect(parseOffset(bad), bad).toBeNull();
  });

  it('adds minutes and hours to the instant, days and weeks to the wall clock', () => {
    expect(iso(shiftInstant(at('2026-03-01T10:00:00Z'), { add: '+30m' }))).toBe('2026-03-01T10:30:00.000Z');
    expect(iso(shiftInstant(at('2026-03-01T10:00:00Z'), { add: '-3h' }))).toBe('2026-03-01T07:00:00.000Z');
    expect(iso(shiftInstant(at('2026-03-01T10:00:00Z'), { add: '+1w' }))).toBe('2026-03-08T10:00:00.000Z');
    // Oslo moves to summer time on 2026-03-29: 09:00 stays 09:00, the UTC hour moves
    expect(iso(shiftInstant(at('2026-03-28T08:00:00Z'), { add: '+1d', timeZone: 'Europe/Oslo' }))).toBe('2026-03-29T07:00:00.000Z');
    expect(iso(shiftInstant(at('2026-03-28T08:00:00Z'), { add: '+24h', timeZone: 'Europe/Oslo' }))).toBe('2026-03-29T08:00:00.000Z');
  });

  it('counts business days Monday to Friday, both ways', () => {
    const friday = at('2026-03-06T15:00:00Z');
    expect(iso(shiftInstant(friday, { add: '+1bd' }))).toBe('2026-03-09T15:00:00.000Z'); // Monday
    expect(iso(shiftInstant(friday, { add: '+2bd' }))).toBe('2026-03-10T15:00:00.000Z');
    expect(iso(shiftInstant(friday, { add: '+5bd' }))).toBe('2026-03-13T15:00:00.000Z');
    expect(iso(shiftInstant(at('2026-03-07T10:00:00Z'), { add: '+1bd' }))).toBe('2026-03-09T10:00:00.000Z'); // Saturday → Monday
    expect(iso(shiftInstant(at('2026-03-09T10:00:00Z'), { add: '-1bd' }))).toBe('2026-03-06T10:00:00.000Z'); // Monday → Friday
    // the weekday is the zone's: Friday 23:30 in New York is Saturday in UTC
    expect(iso(shiftInstant(at('2026-03-07T04:30:00Z'), { add: '+1bd', timeZone: 'America/New_York' }))).toBe('2026-03-10T03:30:00.000Z');
  });

  it('starts the hour, day or week (Monday) and sets a clock time, in the zone', () => {
    const t = at('2026-03-05T23:30:00Z'); // Friday 00:30 in Oslo
    expect(iso(shiftInstant(t, { startOf: 'hour' }))).toBe('2026-03-05T23:00:00.000Z');
    expect(iso(shiftInstant(t, { startOf: 'day' }))).toBe('2026-03-05T00:00:00.000Z');
    expect(iso(shiftInstant(t, { startOf: 'day', timeZone: 'Europe/Oslo' }))).toBe('2026-03-05T23:00:00.000Z');
    expect(iso(shiftInstant(t, { startOf: 'week' }))).toBe('2026-03-02T00:00:00.000Z');
    expect(iso(shiftInstant(t, { add: '+2bd', at: '09:00', timeZone: 'America/New_York' }))).toBe('2026-03-09T13:00:00.000Z');
    expect(iso(shiftInstant(t, { at: '17:45:30' }))).toBe('2026-03-05T17:45:30.000Z');
  });

  it('converts wall clocks both ways and knows the zones Intl knows', () => {
    expect(wallClock(at('2026-01-01T12:00:00Z'), 'Europe/Oslo')).toMatchObject({ year: 2026, month: 1, day: 1, hour: 13, minute: 0 });
    expect(iso(fromWallClock({ year: 2026, month: 7, day: 1, hour: 9, minute: 0, second: 0, ms: 0 }, 'Europe/Oslo'))).toBe('2026-07-01T07:00:00.000Z');
    expect(calendarDate(at('2026-01-01T23:30:00Z'), 'Europe/Oslo')).toBe('2026-01-02');
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Olso')).toBe(false);
  });
});
