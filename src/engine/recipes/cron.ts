/**
 * Five-field cron schedules (`minute hour day-of-month month day-of-week`, read in UTC), checked
 * without a dependency. Each field is a comma list of `*`, `n`, `a-b`, each with an optional
 * `/step` (star-slash-15 is every 15, `1-30/5`, `5/10` is 5, 15, 25…); months and weekdays also take names (`JAN`, `MON-FRI`); weekday 7 is
 * Sunday like 0. `@hourly`, `@daily`/`@midnight`, `@weekly`, `@monthly`, `@yearly`/`@annually`
 * stand for their five fields. As in Vixie cron, when both day fields are restricted a day
 * matching either one runs.
 */

export interface CronSchedule {
  minutes: number[];
  hours: number[];
  daysOfMonth: number[];
  months: number[];
  /** 0 (Sunday) … 6 */
  daysOfWeek: number[];
  dayOfMonthRestricted: boolean;
  dayOfWeekRestricted: boolean;
}

export type ParsedCron = { ok: true; schedule: CronSchedule } | { ok: false; message: string };

interface FieldSpec { name: string; min: number; max: number; names?: string[] }

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day-of-week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];
const MACROS: Record<string, string> = {
  '@hourly': '0 * * * *', '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *', '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *',
};
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses a cron expression, or says which field is wrong and why.
 *
 * @example
 * parseCron('0-59/15 9-17 * * MON-FRI'); // { ok: true, schedule: { minutes: [0, 15, 30, 45], hours: [9, …, 17], … } }
 * parseCron('60 * * * *');           // { ok: false, message: 'minute field "60": 60 is out of range 0-59' }
 */
export function parseCron(expression: string): ParsedCron {
  const text = expression.trim();
  const expanded = Object.hasOwn(MACROS, text.toLowerCase()) ? MACROS[text.toLowerCase()]! : text;
  if (expanded.startsWith('@')) return { ok: false, message: `unknown macro "${text}" (use ${Object.keys(MACROS).join(', ')})` };
  const parts = expanded.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 5) return { ok: false, message: `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}` };
  const sets: number[][] = [];
  for (const [i, spec] of FIELDS.entries()) {
    const part = parts[i]!;
    const values = parseField(part, spec);
    if (typeof values === 'string') return { ok: false, message: `${spec.name} field "${part}": ${values}` };
    sets.push(values);
  }
  const [minutes, hours, daysOfMonth, months, weekdays] = sets as [number[], number[], number[], number[], number[]];
  const schedule: CronSchedule = {
    minutes, hours, daysOfMonth, months,
    daysOfWeek: [...new Set(weekdays.map((d) => d % 7))].sort((a, b) => a - b),
    dayOfMonthRestricted: !parts[2]!.startsWith('*'),
    dayOfWeekRestricted: !parts[4]!.startsWith('*'),
  };
  const possible = months.some((m) => daysOfMonth.some((d) => d <= MONTH_DAYS[m - 1]!));
  if (schedule.dayOfMonthRestricted && !schedule.dayOfWeekRestricted && !possible) {
    return { ok: false, message: `never runs: no month in "${parts[3]}" has day "${parts[2]}"` };
  }
  return { ok: true, schedule };
}

function parseField(part: string, spec: FieldSpec): number[] | string {
  const values = new Set<number>();
  for (const item of part.split(',')) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/([0-9]+))?$/.exec(item);
    if (!m) return `cannot read "${item}"`;
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) return `step ${m[2]} must be at least 1`;
    let from = spec.min;
    let to = spec.max;
    if (m[1] !== '*') {
      const [a, b] = m[1]!.split('-');
      const start = readValue(a!, spec);
      if (typeof start === 'string') return start;
      const end = b === undefined ? (m[2] === undefined ? start : spec.max) : readValue(b, spec);
      if (typeof end === 'string') return end;
      if (end < start) return `range ${m[1]} goes backwards`;
      [from, to] = [start, end];
    }
    if (step > spec.max - spec.min + 1) return `step ${step} is larger than the range ${spec.min}-${spec.max}`;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

function readValue(token: string, spec: FieldSpec): number | string {
  const named = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  if (named >= 0) return spec.name === 'month' ? named + 1 : named;
  if (!/^[0-9]+$/.test(token)) return spec.names ? `unknown name "${token}" (use ${spec.names.join(', ')})` : `"${token}" is not a number`;
  const n = Number(token);
  return n < spec.min || n > spec.max ? `${n} is out of range ${spec.min}-${spec.max}` : n;
}

/**
 * The problem with a cron expression, or null when it is valid.
 *
 * @example
 * validateCron('0 9 * * 1-5'); // null
 * validateCron('0 9 * *');     // 'expected 5 fields (minute hour day-of-month month day-of-week), got 4'
 */
export function validateCron(expression: string): string | null {
  const parsed = parseCron(expression);
  return parsed.ok ? null : parsed.message;
}

/**
 * Whether a schedule runs in the (UTC) minute of `date`.
 *
 * @example
 * const s = parseCron('30 9 * * MON');
 * if (s.ok) cronMatches(s.schedule, new Date('2026-03-02T09:30:00Z')); // true (a Monday)
 */
export function cronMatches(schedule: CronSchedule, date: Date): boolean {
  return (
    schedule.minutes.includes(date.getUTCMinutes()) &&
    schedule.hours.includes(date.getUTCHours()) &&
    schedule.months.includes(date.getUTCMonth() + 1) &&
    dayMatches(schedule, date)
  );
}

function dayMatches(schedule: CronSchedule, date: Date): boolean {
  const dom = schedule.daysOfMonth.includes(date.getUTCDate());
  const dow = schedule.daysOfWeek.includes(date.getUTCDay());
  if (schedule.dayOfMonthRestricted && schedule.dayOfWeekRestricted) return dom || dow;
  return dom && dow;
}

/**
 * The first run strictly after `after` (UTC, whole minutes), or null within the next 8 years.
 *
 * @example
 * const s = parseCron('0 0 1 * *');
 * if (s.ok) nextCronRun(s.schedule, new Date('2026-03-15T12:00:00Z')); // 2026-04-01T00:00:00.000Z
 */
export function nextCronRun(schedule: CronSchedule, after: Date): Date | null {
  const t = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
  const limit = after.getTime() + 8 * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!schedule.months.includes(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0);
    } else if (!dayMatches(schedule, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0);
    } else if (!schedule.hours.includes(t.getUTCHours())) t.setUTCHours(t.getUTCHours() + 1, 0);
    else if (!schedule.minutes.includes(t.getUTCMinutes())) t.setUTCMinutes(t.getUTCMinutes() + 1);
    else return t;
  }
  return null;
}
