/** Printing: tables, percentiles, and one PASS/FAIL line per target (collected for the summary). */

export type Row = Record<string, string | number>;

export function table(rows: Row[]): string {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (r: Row, c: string) => String(r[c] ?? '');
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r, c).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(width[i]!)).join('  ').trimEnd();
  return [line(cols), line(width.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => cell(r, c))))].join('\n');
}

export function section(title: string, rows: Row[], notes: string[] = []): void {
  console.log(`\n${title}`);
  if (rows.length > 0) console.log(table(rows));
  for (const n of notes) console.log(n);
}

/** p-th percentile (nearest rank) of unsorted values. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export const round = (n: number, digits = 1) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);
export const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? 1 : Infinity) : a / b);

export interface Verdict {
  pass: boolean;
  line: string;
}

const verdicts: Verdict[] = [];

/** Prints and records `PASS: …` or `FAIL: …`. */
export function verdict(pass: boolean, text: string): boolean {
  const line = `${pass ? 'PASS' : 'FAIL'}: ${text}`;
  verdicts.push({ pass, line });
  console.log(line);
  return pass;
}

export function allVerdicts(): Verdict[] {
  return verdicts;
}

/** A row that could not be measured (the benchmark threw): a FAIL with the reason. */
export function broken(what: string, error: unknown): void {
  verdict(false, `${what}: not measured: ${(error as Error).stack ?? String(error)}`);
}
