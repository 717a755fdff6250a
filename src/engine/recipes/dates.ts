/**
 * Date reading for the `date` transform and task due dates, without the clock: ISO 8601 text
 * (`2026-03-01`, `2026-03-01T10:00`, `2026-03-01 10:00:00.5+02:00`), epoch numbers (seconds below
 * 1e11, else milliseconds; also 10- or 13-digit strings) and `Date` objects. A date-time without
 * an offset is read as UTC (or, when a shift names a time zone, in that zone). Anything else (e.g.
 * `03/01/2026`, which is ambiguous) is refused. `shiftDate` adds the relative part: offsets, start
 * of an hour/day/week, a clock time, in an IANA time zone (see `date-math.ts`).
 */
import { calendarDate, fromWallClock, shiftInstant, type DateShift } from './date-math.js';

export type DateFormat = 'iso' | 'date';

export type DateResult = { ok: true; value: string } | { ok: false; message: string };

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * Converts a date to `iso` (`2026-03-01T10:00:00.000Z`, an instant in UTC) or `date`
 * (`2026-03-01`; for ISO text, the calendar date as written, whatever its offset).
 *
 * @example
 * formatDate('2026-03-01T23:30:00-05:00', 'iso');  // { ok: true, value: '2026-03-02T04:30:00.000Z' }
 * formatDate('2026-03-01T23:30:00-05:00', 'date'); // { ok: true, value: '2026-03-01' }
 * formatDate(1772323200, 'date');                  // { ok: true, value: '2026-03-01' }
 */
export function formatDate(input: unknown, format: DateFormat = 'iso'): DateResult {
  if (typeof input === 'string') {
    const text = input.trim();
    if (/^\d{10}$|^\d{13}$/.test(text)) return fromEpoch(Number(text), format, input);
    return fromIso(text, format, input);
  }
  if (typeof input === 'number') return fromEpoch(input, format, input);
  if (input instanceof Date) return fromInstant(input.getTime(), format, input);
  return { ok: false, message: `expected a date, got ${describe(input)}` };
}

/** A shift of a date, then its format (`iso`, default; `date` is the calendar date in the shift's zone). */
export interface DateOptions extends DateShift {
  format?: DateFormat;
}

/**
 * Shifts a date (`add`, then `startOf`, then `at`, in `timeZone`, default UTC) and formats it.
 * Without a shift or a zone it is `formatDate`.
 *
 * @example
 * shiftDate('2026-03-06T15:00:00Z', { add: '+2bd', at: '09:00', timeZone: 'America/New_York' }); // { ok: true, value: '2026-03-10T13:00:00.000Z' }
 * shiftDate('2026-03-01T23:30:00Z', { timeZone: 'Europe/Oslo', format: 'date' });               // { ok: true, value: '2026-03-02' }
 * shiftDate('2026-03-01 08:00', { startOf: 'day', timeZone: 'Europe/Oslo' });                  // { ok: true, value: '2026-02-28T23:00:00.000Z' }
 */
export function shiftDate(input: unknown, options: DateOptions = {}): DateResult {
  const { format, ...shift } = options;
  if (shift.add === undefined && shift.startOf === undefined && shift.at === undefined && shift.timeZone === undefined) return formatDate(input, format);
  const instant = readInstant(input, shift.timeZone);
  if (!instant.ok) return instant;
  const ms = shiftInstant(instant.ms, shift);
  if (!Number.isFinite(ms) || Number.isNaN(new Date(ms).getTime())) return { ok: false, message: `invalid date ${describe(input)} after the shift` };
  return { ok: true, value: format === 'date' ? calendarDate(ms, shift.timeZone) : new Date(ms).toISOString() };
}

/** The instant of a date; ISO text without an offset is read in `timeZone` (UTC when absent). */
function readInstant(input: unknown, timeZone: string | undefined): { ok: true; ms: number } | { ok: false; message: string } {
  if (typeof input === 'string' && timeZone !== undefined) {
    const m = ISO.exec(input.trim());
    if (m && m[8] === undefined) {
      const checked = formatDate(input, 'iso');
      if (!checked.ok) return checked;
      const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
      return { ok: true, ms: fromWallClock({ year, month, day, hour, minute, second, ms: Math.round(Number(`0.${m[7] ?? '0'}`) * 1000) }, timeZone) };
    }
  }
  const iso = formatDate(input, 'iso');
  return iso.ok ? { ok: true, ms: Date.parse(iso.value) } : iso;
}

function fromEpoch(n: number, format: DateFormat, input: unknown): DateResult {
  if (!Number.isFinite(n)) return { ok: false, message: `invalid date ${describe(input)}` };
  return fromInstant(Math.abs(n) < 1e11 ? n * 1000 : n, format, input);
}

function fromInstant(ms: number, format: DateFormat, input: unknown): DateResult {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return { ok: false, message: `invalid date ${describe(input)}` };
  const iso = date.toISOString();
  return { ok: true, value: format === 'date' ? iso.slice(0, 10) : iso };
}

function fromIso(text: string, format: DateFormat, input: unknown): DateResult {
  const m = ISO.exec(text);
  const bad: DateResult = { ok: false, message: `unrecognised date ${describe(input)} (expected ISO 8601 like 2026-03-01 or 2026-03-01T10:00:00Z, or epoch seconds/milliseconds)` };
  if (!m) return bad;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const fraction = Number(`0.${m[7] ?? '0'}`);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return { ok: false, message: `invalid date ${describe(input)}: no such day` };
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, message: `invalid date ${describe(input)}: no such time` };
  if (format === 'date') return { ok: true, value: text.slice(0, 10) };
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Math.round(fraction * 1000));
  return fromInstant(date.getTime() - offsetMinutes(m[8]) * 60_000, format, input);
}

function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return zone.startsWith('-') ? -minutes : minutes;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return 'an invalid Date';
  if (Array.isArray(value)) return 'a list';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}
