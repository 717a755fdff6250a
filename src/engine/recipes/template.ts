/**
 * Templates: text with `{{path}}` placeholders filled from the event payload, e.g.
 * `"{{candidate.name}} moved to {{stage.name}}"`. Spaces inside the braces are ignored.
 *
 * A placeholder whose value is missing (absent, null, empty) makes the whole template missing, so
 * a half-filled sentence is never written; the caller then uses the `default` or reports the
 * missing paths. Lists are joined with ", ", objects written as JSON.
 */
import { getPath, parsePath, type PathSegment } from './paths.js';

export type TemplatePart = { text: string } | { path: string; segments: PathSegment[] };

export type ParsedTemplate = { ok: true; parts: TemplatePart[] } | { ok: false; message: string };

export type RenderedTemplate =
  | { ok: true; value: string; sources: Record<string, unknown> }
  | { ok: false; missing: string[]; sources: Record<string, unknown> };

/**
 * Splits a template into literal text and placeholders, checking every placeholder's path.
 *
 * @example
 * parseTemplate('Hi {{ candidate.name }}!');
 * // { ok: true, parts: [{ text: 'Hi ' }, { path: 'candidate.name', segments: ['candidate', 'name'] }, { text: '!' }] }
 * parseTemplate('Hi {{name'); // { ok: false, message: 'unclosed "{{" at 3' }
 */
export function parseTemplate(template: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{{', i);
    if (open < 0) {
      parts.push({ text: template.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: template.slice(i, open) });
    const close = template.indexOf('}}', open + 2);
    if (close < 0) return { ok: false, message: `unclosed "{{" at ${open}` };
    const path = template.slice(open + 2, close).trim();
    const parsed = parsePath(path);
    if (!parsed.ok) return { ok: false, message: `placeholder at ${open}: ${parsed.message}` };
    parts.push({ path, segments: parsed.segments });
    i = close + 2;
  }
  return { ok: true, parts };
}

/**
 * Fills a template from a payload. `sources` holds each placeholder's raw value (for previews).
 *
 * @example
 * renderTemplate('{{candidate.name}} moved to {{stage.name}}', { candidate: { name: 'Ada' }, stage: { name: 'Offer' } });
 * // { ok: true, value: 'Ada moved to Offer', sources: { 'candidate.name': 'Ada', 'stage.name': 'Offer' } }
 * renderTemplate('{{a}} and {{b}}', { a: 1 }); // { ok: false, missing: ['b'], sources: { a: 1, b: undefined } }
 */
export function renderTemplate(template: string | TemplatePart[], payload: unknown): RenderedTemplate | { ok: false; message: string } {
  let parts: TemplatePart[];
  if (typeof template === 'string') {
    const parsed = parseTemplate(template);
    if (!parsed.ok) return parsed;
    parts = parsed.parts;
  } else parts = template;
  const sources: Record<string, unknown> = {};
  const missing: string[] = [];
  let value = '';
  for (const part of parts) {
    if ('text' in part) {
      value += part.text;
      continue;
    }
    const raw = getPath(payload, part.segments);
    sources[part.path] = raw;
    const text = formatValue(raw);
    if (text === '') {
      if (!missing.includes(part.path)) missing.push(part.path);
    } else value += text;
  }
  return missing.length > 0 ? { ok: false, missing, sources } : { ok: true, value, sources };
}

/**
 * How a payload value is written into text ('' for missing values).
 *
 * @example
 * formatValue(['a', null, 'b']); // 'a, b'
 * formatValue({ x: 1 });         // '{"x":1}'
 */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (Array.isArray(value)) return value.map(formatValue).filter((s) => s !== '').join(', ');
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return ''; // a cycle or a bigint inside: nothing printable
  }
}
