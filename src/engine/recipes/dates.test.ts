import { describe, expect, it } from 'vitest';
import { formatDate } from './dates.js';

describe('formatDate', () => {
  it.each([
    ['2026-03-01', '2026-03-01T00:00:00.000Z', '2026-03-01'],
    ['2026-03-01T10:00', '2026-03-01T10:00:00.000Z', '2026-03-01'],
    ['2026-03-01 10:00:05.25', '2026-03-01T10:00:05.250Z', '2026-03-01'],
    ['2026-03-01T23:30:00-05:00', '2026-03-02T04:30:00.000Z', '2026-03-01'],
    ['2026-03-01T01:00:00+0530', '2026-02-28T19:30:00.000Z', '2026-03-01'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z', '2024-02-29'],
    [1772323200, '2026-03-01T00:00:00.000Z', '2026-03-01'],
    [1772323200000, '2026-03-01T00:00:00.000Z', '2026-03-01'],
    ['1772323200', '2026-03-01T00:00:00.000Z', '2026-03-01'],
    [new Date('2026-03-01T12:00:00Z'), '2026-03-01T12:00:00.000Z', '2026-03-01'],
  ])('reads %j', (input, iso, date) => {
    expect(formatDate(input, 'iso')).toEqual({ ok: true, value: iso });
    expect(formatDate(input, 'date')).toEqual({ ok: true, value: date });
    expect(formatDate(input)).toEqual({ ok: true, value: iso });
  });

  it('keeps years below 100 as written', () => {
    expect(formatDate('0050-01-02', 'iso')).toEqual({ ok: true, value: '0050-01-02T00:00:00.000Z' });
  });

  it.each([
    ['2026-02-29', 'no such day'],
    ['2026-13-01', 'no such day'],
    ['2026-04-31', 'no such day'],
    ['2026-03-01T24:00', 'no such time'],
    ['03/01/2026', 'unrecognised date'],
    ['yesterday', 'unrecognised date'],
  ])('refuses %j (%s)', (input, why) => {
    expect(formatDate(input)).toMatchObject({ ok: false, message: expect.stringContaining(why) });
  });

  it('refuses non-dates', () => {
    expect(formatDate({})).toEqual({ ok: false, message: 'expected a date, got an object' });
    expect(formatDate(Number.NaN)).toMatchObject({ ok: false });
    expect(formatDate(new Date('x'))).toMatchObject({ ok: false });
    expect(formatDate(1e20)).toMatchObject({ ok: false });
  });
});
