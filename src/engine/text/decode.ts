/**
 * Bytes or a string → text fit to parse as YAML or JSON, or the reason it is not: too large,
 * UTF-16 (or UTF-32) encoded, binary, not UTF-8, or holding control characters. The reasons never
 * quote the content (it may be a secret, or escape codes for the terminal).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { sizeProblem } from './limits.js';

export type TextRead = { ok: true; text: string } | { ok: false; problem: string };

/** How much of the start is looked at for the UTF-16 pattern (every other byte NUL). */
const SNIFF_BYTES = 4096;

/**
 * Reads a file of at most `limit` bytes as UTF-8 text. A larger file is refused after reading
 * `limit + 1` bytes (a device or a pipe is never read to its end). Errors of the file system
 * (no such file, a folder) are thrown as they are.
 *
 * @example
 * const r = readTextFile('ghl-bridge.yaml', CONFIG_TEXT_LIMIT);
 * if (!r.ok) console.error(`ghl-bridge.yaml: ${r.problem}`); // 'the file is UTF-16 encoded; save it as UTF-8'
 */
export function readTextFile(file: string, limit: number): TextRead {
  const fd = openSync(file, 'r');
  try {
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.size > limit) return { ok: false, problem: sizeProblem('file', stat.size, limit)! };
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > limit) return { ok: false, problem: `the file is over the limit of ${limit.toLocaleString('en-US')} bytes` };
    }
    return decodeText(buffer.subarray(0, length), 'file');
  } finally {
    closeSync(fd);
  }
}

/**
 * Decodes UTF-8 bytes (a UTF-8 byte order mark is dropped), refusing UTF-16/UTF-32, binary data
 * and other encodings with a reason naming `noun` (`file`, `text`).
 *
 * @example
 * decodeText(Buffer.from('\ufeffa: 1', 'utf16le'), 'file'); // { ok: false, problem: 'the file is UTF-16 encoded; save it as UTF-8' }
 */
export function decodeText(bytes: Uint8Array, noun: string): TextRead {
  const wide = wideEncoding(bytes);
  if (wide) return { ok: false, problem: `the ${noun} is ${wide} encoded; save it as UTF-8` };
  if (bytes.includes(0)) return { ok: false, problem: `the ${noun} holds NUL bytes: it is binary data, not text` };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const line = lineOf(new TextDecoder('utf-8').decode(bytes), '\ufffd');
    return { ok: false, problem: `the ${noun} is not UTF-8 text (the first bad byte is on line ${line}): binary data, or another encoding such as Latin-1; save it as UTF-8` };
  }
  const problem = textProblem(text, noun);
  return problem ? { ok: false, problem } : { ok: true, text };
}

/**
 * Why a string is not YAML or JSON text (NUL or other control characters, UTF-16 read as
 * bytes), or null. Tabs, line feeds and carriage returns are text.
 *
 * @example
 * textProblem('a: 1\u001b[2J', 'text'); // 'the text holds a control character (U+001B on line 1, column 5) …'
 */
export function textProblem(text: string, noun: string): string | null {
  let controls = 0;
  let first = -1;
  let nulEven = 0;
  let nulOdd = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code !== 0x7f) continue;
    if (code === 0x09 || code === 0x0a || code === 0x0d) continue;
    controls++;
    if (first < 0) first = i;
    if (code === 0 && i < SNIFF_BYTES) {
      if (i % 2 === 0) nulEven++;
      else nulOdd++;
    }
  }
  if (controls === 0) return null;
  // UTF-16 bytes taken for 8-bit text: every other character is NUL
  if (utf16Pattern(nulEven, nulOdd, Math.min(text.length, SNIFF_BYTES))) return `the ${noun} is UTF-16 encoded; save it as UTF-8`;
  if (text.includes('\u0000')) return `the ${noun} holds NUL characters: it is binary data, not YAML or JSON text`;
  if (controls > 8) return `the ${noun} holds ${controls.toLocaleString('en-US')} control characters: it is binary data, not YAML or JSON text`;
  const { line, column } = position(text, first);
  const code = text.charCodeAt(first).toString(16).toUpperCase().padStart(4, '0');
  return `the ${noun} holds a control character (U+${code} on line ${line}, column ${column}); YAML and JSON text has none (write it escaped, e.g. "\\u${code.toLowerCase()}" in a double-quoted string)`;
}

/** 'UTF-16' / 'UTF-32' by byte order mark or by the NUL pattern of ASCII text, else null. */
function wideEncoding(bytes: Uint8Array): string | null {
  const [a, b, c, d] = bytes;
  if ((a === 0xff && b === 0xfe && c === 0 && d === 0) || (a === 0 && b === 0 && c === 0xfe && d === 0xff)) return 'UTF-32';
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) return 'UTF-16';
  const n = Math.min(bytes.length, SNIFF_BYTES);
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== 0) continue;
    if (i % 2 === 0) even++;
    else odd++;
  }
  return utf16Pattern(even, odd, n) ? 'UTF-16' : null;
}

/** Most of one parity NUL and almost none of the other: ASCII text in UTF-16. */
function utf16Pattern(even: number, odd: number, length: number): boolean {
  const half = length / 2;
  return length >= 4 && (even >= half * 0.6 || odd >= half * 0.6) && Math.min(even, odd) <= half * 0.05;
}

function position(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: index - start + 1 };
}

function lineOf(text: string, char: string): number {
  const i = text.indexOf(char);
  return i < 0 ? 1 : position(text, i).line;
}
