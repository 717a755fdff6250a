import { describe, expect, it } from 'vitest';
import { CsvError, detectDelimiter, parseCsv, toCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads a header row, ; or , (detected), a BOM and CRLF', () => {
    expect(parseCsv('\uFEFFid;name;city\r\n1;Acme;Köln\r\n2;Beta;Paris\r\n')).toEqual({ header: ['id', 'name', 'city'], rows: [{ id: '1', name: 'Acme', city: 'Köln' }, { id: '2', name: 'Beta', city: 'Paris' }] });
    expect(parseCsv('id,name\n1,Acme').rows).toEqual([{ id: '1', name: 'Acme' }]);
    expect(detectDelimiter('"a;b",c,d\n')).toBe(',');
    expect(detectDelimiter('a;b;c,d\n')).toBe(';');
    expect(detectDelimiter('single\n')).toBe(',');
  });

  it('handles quoted fields: delimiters, doubled quotes, line breaks, empty quoted values', () => {
    const text = 'id;name;note\n1;"Doe; Jane";"said ""hi""\nthen left"\n2;"";\n';
    expect(parseCsv(text).rows).toEqual([
      { id: '1', name: 'Doe; Jane', note: 'said "hi"\nthen left' },
      { id: '2', name: '', note: '' },
    ]);
    expect(parseCsv('a,b\n"x" ,y\n').rows).toEqual([{ a: 'x', b: 'y' }]);
  });

  it('skips blank lines, reads short rows as empty cells, keeps decimal commas inside ; files', () => {
    expect(parseCsv('id;amount;x\n\n1;12,50\n\n').rows).toEqual([{ id: '1', amount: '12,50', x: '' }]);
    expect(parseCsv('')).toEqual({ header: [], rows: [] });
    expect(parseCsv('\uFEFF')).toEqual({ header: [], rows: [] });
    expect(parseCsv('id;name\n')).toEqual({ header: ['id', 'name'], rows: [] });
  });

  it('names the line of a broken file', () => {
    const line = (text: string) => {
      try {
        parseCsv(text);
      } catch (e) {
        expect(e).toBeInstanceOf(CsvError);
        return (e as CsvError).line;
      }
      throw new Error('no error');
    };
    expect(line('id,name\n1,"open\n2,x\n')).toBe(2);
    expect(line('id,name\n1,2,3\n')).toBe(2);
    expect(line('id,name\n1,ab"c\n')).toBe(2);
    expect(line('id,name\n1,"a"b\n')).toBe(2);
    expect(line('id,id\n1,2\n')).toBe(1);
    expect(line('id,\n1,2\n')).toBe(1);
    expect(line('id,note\n1,"two\nlines"\n2,x,y\n')).toBe(4);
  });

  it('round-trips what toCsv writes', () => {
    const rows = [{ id: 'C1', name: 'Doe; "Jane"', note: 'a\nb', n: 3 }, { id: 'C2', name: ' padded ', note: null, n: 0 }];
    const text = toCsv(['id', 'name', 'note', 'n'], rows, { delimiter: ';', bom: true });
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(parseCsv(text).rows).toEqual([{ id: 'C1', name: 'Doe; "Jane"', note: 'a\nb', n: '3' }, { id: 'C2', name: ' padded ', note: '', n: '0' }]);
  });
});
