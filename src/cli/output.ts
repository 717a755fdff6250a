/**
 * Human output: tables, and colours only when stdout is a terminal and `NO_COLOR` is unset (no
 * dependency: a few ANSI codes). `--json` output never goes through here.
 */

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, cyan: 36, gray: 90, bold: 1 } as const;
export type Colour = keyof typeof CODES;

/** Whether to colour stdout (`NO_COLOR` set to anything but '' turns colours off, per no-color.org). */
export function colourEnabled(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

/**
 * @example
 * process.stdout.write(paint('green', 'succeeded') + '\n');
 */
export function paint(colour: Colour, text: string, enabled = colourEnabled()): string {
  return enabled ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text;
}

/** A run or sync status in its colour. */
export function status(text: string): string {
  const colour: Colour | null = /^(succeeded|done|ok|enabled)$/.test(text) ? 'green' : /^(dead|failed|refused)$/.test(text) ? 'red' : /^(queued|running|cancelled|skipped|disabled|paused.*)$/.test(text) ? 'yellow' : null;
  return colour ? paint(colour, text) : text;
}

// ANSI sequences take no room on screen
// eslint-disable-next-line no-control-regex
const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '').length;

/**
 * A plain-text table; the last column is not padded. Cells are cut to `max` characters.
 *
 * @example
 * table(['ID', 'STATUS'], [['1', 'succeeded']]);
 */
export function table(head: string[], rows: string[][], max = 80): string {
  const cut = rows.map((r) => r.map((c) => (visible(c) > max ? `${c.slice(0, max - 1)}…` : c)));
  const widths = head.map((h, i) => Math.max(h.length, ...cut.map((r) => visible(r[i] ?? ''))));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(Math.max(0, widths[i]! - visible(c))))).join('  ').trimEnd();
  return [paint('bold', line(head)), ...cut.map(line)].join('\n');
}

export function print(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** One JSON document on stdout (listings: an array of every item). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function warn(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** `2026-11-27T21:12:17.000Z` → `2026-11-27 21:12:17` (UTC). */
export function when(iso: string | null | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '';
}
