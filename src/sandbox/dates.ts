/**
 * Dates of birth in every format the spec lists (YYYY/MM/DD, MM/DD/YYYY, YYYY-MM-DD, MM-DD-YYYY,
 * with `/ - . _` separators), stored as `YYYY-MM-DDT00:00:00.000Z`. Returns null when unreadable.
 */
export function parseDateOfBirth(input: unknown): string | null {
  if (input instanceof Date) return input.toISOString();
  if (typeof input === 'number') return Number.isFinite(input) ? new Date(input).toISOString() : null;
  if (typeof input !== 'string') return null;
  const s = input.trim();
  let m = /^(\d{4})[/\-._](\d{1,2})[/\-._](\d{1,2})(?:T.*)?$/.exec(s);
  let y: number, mo: number, d: number;
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else {
    m = /^(\d{1,2})[/\-._](\d{1,2})[/\-._](\d{4})$/.exec(s);
    if (!m) return null;
    [mo, d, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString();
}
