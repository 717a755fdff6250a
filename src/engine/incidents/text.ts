/**
 * One line of at most `max` characters: an error reason may hold newlines or a long body, and a
 * cause is read in a chat message or a subject line.
 *
 * @example
 * oneLine('a\nb', 10); // 'a b'
 */
export function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * A count and its noun, in the plural when it is not one.
 *
 * @example
 * plural(1000, 'run'); // '1,000 runs'
 */
export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
