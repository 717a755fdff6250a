/**
 * Text quoted in an error (a key, a snippet of a file) made safe for a terminal and a log: control
 * and bidirectional-override characters escaped, long text cut.
 */

/** Characters that move the cursor, recolour a terminal or reorder text: shown escaped. */
function unsafe(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

/**
 * The text with unsafe characters as `\n`, `\t`, `\u001b`…, cut to `max` characters (then `…`).
 *
 * @example
 * printable('red\u001b[31m'); // 'red\\u001b[31m'
 */
export function printable(text: string, max = Infinity): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  let out = '';
  let from = 0;
  for (let i = 0; i < cut.length; i++) {
    const code = cut.charCodeAt(i);
    if (!unsafe(code)) continue;
    out += cut.slice(from, i) + escape(code);
    from = i + 1;
  }
  return from === 0 ? cut : out + cut.slice(from);
}

function escape(code: number): string {
  if (code === 0x0a) return '\\n';
  if (code === 0x09) return '\\t';
  if (code === 0x0d) return '\\r';
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * A key or value in double quotes for a message: escaped like JSON, unsafe characters too, cut to `max`.
 *
 * @example
 * quote('pitt'); // '"pitt"'
 */
export function quote(text: string, max = 80): string {
  return printable(JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text));
}
