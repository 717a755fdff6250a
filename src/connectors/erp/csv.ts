/**
 * A small CSV reader and writer for ERP exports (no dependency): header row, `;` or `,` (detected
 * from the header when not given), quoted fields with `""` escapes and line breaks inside quotes,
 * CRLF or LF, a UTF-8 BOM, blank lines skipped. Errors name the line.
 */

export interface CsvTable {
  header: string[];
  rows: Array<Record<string, string>>;
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`CSV line ${line}: ${message}`);
    this.name = 'CsvError';
  }
}

/** The delimiter of the header line: whichever of `;`, `,` and tab occurs most outside quotes. */
export function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch]! += 1;
  }
  const [best, n] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0]!;
  return n > 0 ? best : ',';
}

/** Splits CSV text into records of fields (no header handling). */
export function parseCsvRecords(input: string, delimiter: string): Array<{ line: number; fields: string[] }> {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  let line = 1;
  let recordLine = 1;
  const endField = () => {
    fields.push(field);
    field = '';
    wasQuoted = false;
  };
  const endRecord = () => {
    endField();
    // a blank line is one empty unquoted field: skipped
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (field.trim() !== '' || wasQuoted) throw new CsvError(line, 'a quote inside an unquoted field (quote the whole field and double inner quotes)');
      field = '';
      quoted = true;
      wasQuoted = true;
    } else if (ch === delimiter) endField();
    else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (wasQuoted) {
      if (ch !== ' ' && ch !== '\t') throw new CsvError(line, `text after a closing quote ("${ch}")`);
    } else field += ch;
  }
  if (quoted) throw new CsvError(recordLine, 'a quoted field is not closed');
  if (field !== '' || fields.length > 0 || wasQuoted) endRecord();
  return records;
}

/**
 * Parses a CSV with a header row into objects keyed by the header's (trimmed) names.
 *
 * @example
 * parseCsv('\uFEFFid;name\n1;"Doe; Jane"\n'); // { header: ['id', 'name'], rows: [{ id: '1', name: 'Doe; Jane' }] }
 */
export function parseCsv(text: string, options: { delimiter?: string } = {}): CsvTable {
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const delimiter = options.delimiter ?? detectDelimiter(clean);
  const records = parseCsvRecords(clean, delimiter);
  const [head, ...body] = records;
  if (!head) return { header: [], rows: [] };
  const header = head.fields.map((h) => h.trim());
  const seen = new Set<string>();
  for (const h of header) {
    if (h === '') throw new CsvError(head.line, 'an empty column name in the header');
    if (seen.has(h)) throw new CsvError(head.line, `the column "${h}" appears twice in the header`);
    seen.add(h);
  }
  const rows = body.map(({ line, fields }) => {
    if (fields.length > header.length) throw new CsvError(line, `${fields.length} fields, but the header has ${header.length}`);
    // short rows (trailing empty columns left out by some exporters) read as empty
    return Object.fromEntries(header.map((h, i) => [h, fields[i] ?? '']));
  });
  return { header, rows };
}

/**
 * Writes rows as CSV, quoting fields that need it.
 *
 * @example
 * toCsv(['id', 'name'], [{ id: 1, name: 'Doe; Jane' }], { delimiter: ';', bom: true }); // '\uFEFFid;name\r\n1;"Doe; Jane"\r\n'
 */
export function toCsv(header: string[], rows: Array<Record<string, unknown>>, options: { delimiter?: string; bom?: boolean } = {}): string {
  const d = options.delimiter ?? ',';
  const cell = (v: unknown) => {
    const s = v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",;\r\n\t]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [header.map(cell).join(d), ...rows.map((r) => header.map((h) => cell(r[h])).join(d))];
  return `${options.bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`;
}
