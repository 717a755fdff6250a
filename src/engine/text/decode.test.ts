import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeText, readTextFile, textProblem } from './decode.js';

const dir = mkdtempSync(join(tmpdir(), 'text-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const yamlText = 'server:\n  port: 8787\nlog:\n  level: info\n';

describe('decodeText', () => {
  it('reads UTF-8, dropping a byte order mark', () => {
    expect(decodeText(Buffer.from(`\ufeff${yamlText}`, 'utf8'), 'file')).toEqual({ ok: true, text: yamlText });
    expect(decodeText(Buffer.from('name: Zoë ✓\n', 'utf8'), 'file')).toEqual({ ok: true, text: 'name: Zoë ✓\n' });
  });

  it('names UTF-16 (either byte order, with or without a byte order mark) and UTF-32', () => {
    const le = Buffer.from(`\ufeff${yamlText}`, 'utf16le');
    const be = Buffer.from(le).swap16();
    const noBom = Buffer.from(yamlText, 'utf16le');
    for (const bytes of [le, be, noBom]) expect(decodeText(bytes, 'file')).toEqual({ ok: false, problem: 'the file is UTF-16 encoded; save it as UTF-8' });
    expect(decodeText(Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]), 'file')).toEqual({ ok: false, problem: 'the file is UTF-32 encoded; save it as UTF-8' });
  });

  it('refuses binary data and other encodings without quoting a byte of them', () => {
    const binary = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x00, 0x00, 0x3e, 0x00, 0x01]);
    const r = decodeText(binary, 'file');
    expect(r).toEqual({ ok: false, problem: 'the file holds NUL bytes: it is binary data, not text' });
    const latin1 = Buffer.from('name: Zo\xeb\n', 'latin1');
    expect(decodeText(latin1, 'file')).toEqual({ ok: false, problem: expect.stringMatching(/^the file is not UTF-8 text \(the first bad byte is on line 1\): .*save it as UTF-8$/) });
  });
});

describe('textProblem', () => {
  it('passes text with tabs and both line endings', () => {
    expect(textProblem('a:\t1\r\nb: 2\n', 'text')).toBeNull();
  });

  it('points at one control character, escaped; calls many of them binary', () => {
    const one = textProblem('a: 1\nb: x\u001b[2J\n', 'text')!;
    expect(one).toMatch(/^the text holds a control character \(U\+001B on line 2, column 5\)/);
    expect(one).not.toContain('\u001b');
    expect(textProblem('\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000b\u000e', 'text')).toBe('the text holds 10 control characters: it is binary data, not YAML or JSON text');
    expect(textProblem('a\u0000b', 'text')).toBe('the text holds NUL characters: it is binary data, not YAML or JSON text');
  });

  it('recognizes UTF-16 bytes taken for text (every other character NUL)', () => {
    expect(textProblem(Buffer.from(yamlText, 'utf16le').toString('latin1'), 'text')).toBe('the text is UTF-16 encoded; save it as UTF-8');
  });
});

describe('readTextFile', () => {
  it('refuses a file over the limit naming both sizes, before reading it', () => {
    const file = join(dir, 'big.yaml');
    writeFileSync(file, 'k: v\n'.repeat(1000));
    expect(readTextFile(file, 1024)).toEqual({ ok: false, problem: 'the file is 4.88 KiB (5,000 bytes); the limit is 1 KiB' });
    expect(readTextFile(file, 5000)).toEqual({ ok: true, text: 'k: v\n'.repeat(1000) });
  });

  it('throws the file system error of a missing file', () => {
    expect(() => readTextFile(join(dir, 'nope.yaml'), 1024)).toThrow(/ENOENT/);
  });
});
