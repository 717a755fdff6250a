/**
 * Calendar arithmetic in an IANA time zone (through `Intl`, no library): relative offsets
 * (`+2d`, `-3h`, `+30m`, `+1w`, business days `+2bd`), the start of an hour/day/week and a clock
 * time. Days and weeks move the wall clock of the zone (09:00 stays 09:00 across a DST change);
 * minutes and hours move the instant.
 */

export type OffsetUnit = 'm' | 'h' | 'd' | 'w' | 'bd';
export interface Offset { amount: number; unit: OffsetUnit }
export type StartOf = 'hour' | 'day' | 'week';

/** What to do to an instant, in this order: `add`, then `startOf`, then `at`, in `timeZone` (default UTC). */
export interface DateShift {
  add?: string;
  startOf?: StartOf;
  /** a clock time, `HH:MM` or `HH:MM:SS` (24 h) */
  at?: string;
  timeZone?: string;
}

const OFFSET = /^([+-])(\d{1,4})(m|h|d|w|bd)$/;
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/**
 * Reads an offset such as `+2d`, `-3h`, `+30m`, `+1w` or `+2bd` (business days, Monday to Friday).
 *
 * @example
 * parseOffset('+2bd'); // { amount: 2, unit: 'bd' }
 * parseOffset('2 days'); // null
 */
export function parseOffset(text: string): Offset | null {
  const m = OFFSET.exec(text.trim());
  if (!m) return null;
  return { amount: (m[1] === '-' ? -1 : 1) * Number(m[2]), unit: m[3] as OffsetUnit };
}

/** What is wrong with an offset, or null. */
export function offsetProblem(text: string): string | null {
  return parseOffset(text) ? null : `invalid offset ${JSON.stringify(text)}: expected a sign, a number and a unit (m, h, d, w or bd for business days), e.g. "+2d", "-3h", "+2bd"`;
}

/** What is wrong with a clock time, or null. */
export function clockProblem(text: string): string | null {
  return CLOCK.test(text) ? null : `invalid time ${JSON.stringify(text)}: expected HH:MM (24 h), e.g. "09:00"`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Whether `Intl` knows a time zone (an IANA name such as `Europe/Oslo`, or `UTC`).
 *
 * @example
 * isTimeZone('Europe/Oslo'); // true
 * isTimeZone('Europe/Olso'); // false
 */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false; // RangeError: not a zone Intl knows
  }
}

/** The zones `Intl` lists, for "did you mean" hints. */
export function knownTimeZones(): string[] {
  return ['UTC', ...Intl.supportedValuesOf('timeZone')];
}

/** A wall-clock reading (month 1-12). */
export interface Wall { year: number; month: number; day: number; hour: number; minute: number; second: number; ms: number }

/**
 * The wall clock in a zone at an instant.
 *
 * @example
 * wallClock(Date.UTC(2026, 0, 1, 12), 'Europe/Oslo'); // { year: 2026, month: 1, day: 1, hour: 13, minute: 0, second: 0, ms: 0 }
 */
export function wallClock(ms: number, timeZone: string): Wall {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second), ms: ((ms % 1000) + 1000) % 1000 };
}

const asUtc = (w: Wall) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.ms);

/**
 * The instant a wall-clock time has in a zone (a time skipped by a DST change moves forward).
 *
 * @example
 * fromWallClock({ year: 2026, month: 7, day: 1, hour: 9, minute: 0, second: 0, ms: 0 }, 'Europe/Oslo'); // Date.UTC(2026, 6, 1, 7)
 */
export function fromWallClock(w: Wall, timeZone: string): number {
  const target = asUtc(w);
  const offset = (at: number) => asUtc(wallClock(at, timeZone)) - at;
  const first = target - offset(target);
  return target - offset(first);
}

/**
 * Applies a shift to an instant (`add`, then `startOf`, then `at`, in `timeZone`, default UTC).
 * The offset and clock time must be valid (the recipe schema checks them).
 *
 * @example
 * // Friday 2026-03-06 15:00 UTC, two business days later at 09:00 in New York: Tuesday 13:00 UTC
 * new Date(shiftInstant(Date.UTC(2026, 2, 6, 15), { add: '+2bd', at: '09:00', timeZone: 'America/New_York' })).toISOString();
 * // '2026-03-10T13:00:00.000Z'
 */
export function shiftInstant(ms: number, shift: DateShift): number {
  const zone = shift.timeZone ?? 'UTC';
  let t = ms;
  const offset = shift.add === undefined ? null : parseOffset(shift.add);
  if (offset && (offset.unit === 'm' || offset.unit === 'h')) t += offset.amount * (offset.unit === 'm' ? 60_000 : 3_600_000);
  else if (offset) {
    const w = wallClock(t, zone);
    const days = offset.unit === 'bd' ? businessDays(w, offset.amount) : offset.amount * (offset.unit === 'w' ? 7 : 1);
    t = fromWallClock(moveDays(w, days), zone);
  }
  if (shift.startOf) {
    const w = wallClock(t, zone);
    const start: Wall = { ...w, minute: 0, second: 0, ms: 0, hour: shift.startOf === 'hour' ? w.hour : 0 };
    t = fromWallClock(shift.startOf === 'week' ? moveDays(start, -((weekday(w) + 6) % 7)) : start, zone);
  }
  if (shift.at) {
    const m = CLOCK.exec(shift.at);
    if (m) t = fromWallClock({ ...wallClock(t, zone), hour: Number(m[1]), minute: Number(m[2]), second: Number(m[3] ?? 0), ms: 0 }, zone);
  }
  return t;
}

/**
 * The calendar date (`YYYY-MM-DD`) of an instant in a zone.
 *
 * @example
 * calendarDate(Date.UTC(2026, 0, 1, 23, 30), 'Europe/Oslo'); // '2026-01-02'
 */
export function calendarDate(ms: number, timeZone = 'UTC'): string {
  const w = wallClock(ms, timeZone);
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(w: Wall): number {
  return new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
}

function moveDays(w: Wall, days: number): Wall {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** How many calendar days `n` business days are from `w` (Saturdays and Sundays skipped). */
function businessDays(w: Wall, n: number): number {
  const step = n < 0 ? -1 : 1;
  let days = 0;
  for (let left = Math.abs(n); left > 0; ) {
    days += step;
    const day = weekday(moveDays(w, days));
    if (day !== 0 && day !== 6) left--;
  }
  return days;
}
