import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './harness.js';

/**
 * Issue 11, items 4 and 5 on the command line: the 1 MB YAML of 40,000 keys (34 s in `recipes
 * validate`, 29 s in `start`) refused at once by its size; the worst file under the limit listed
 * as 50 problems and a count; UTF-16 and binary files named, never echoed; a MySQL database URL
 * refused naming the field, never its password.
 */
const dir = mkdtempSync(join(tmpdir(), 'ghlb-cli-bad-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const fortyThousandKeys = Array.from({ length: 40_000 }, (_, i) => `key_${String(i).padStart(6, '0')}: value-xxxxxxxx\n`).join('');
/** Bytes no terminal should get: escape sequences (clear screen, set title, CSI), NUL. */
const BINARY = Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01\x1b[2J\x1b]0;owned\x07', 'latin1'), Buffer.alloc(32), Buffer.from([0x9b, 0x33, 0x31, 0x6d, 0xff])]);
const hasControl = (text: string) => [...text].some((c) => (c < ' ' && c !== '\n') || (c >= '\u007f' && c <= '\u009f'));

describe('ghl-bridge recipes validate with bad files', { timeout: 120_000 }, () => {
  it('the 1 MB YAML of 40,000 keys: refused at once by its size, exit 1, one short line', async () => {
    const path = file('big.yaml', fortyThousandKeys);
    const started = performance.now();
    const r = await runCli(['recipes', 'validate', path], { cwd: dir });
    expect(performance.now() - started).toBeLessThan(20_000);
    expect([r.code, r.stderr]).toEqual([1, '']);
    expect(r.stdout).toBe(`invalid: ${path} has 1 problem:\n  (recipe): the file is 1.03 MiB (1,080,000 bytes); the limit is 64 KiB\n`);
  });

  it('the worst file under the limit: 50 problems with their lines, then how many more', async () => {
    let text = 'id: big\nversion: 1\n';
    for (let i = 0; text.length < 60_000; i++) text += `k${i - (i % 2)}: ${i}\n`;
    const path = file('dups.yaml', text);
    const r = await runCli(['recipes', 'validate', path], { cwd: dir });
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^invalid: ${path} has [\\d,]+ problems:$`));
    expect(lines[1]).toBe('  (recipe): YAML: duplicate key "k0" on line 4 (first on line 3)');
    expect(lines).toHaveLength(52);
    expect(lines[51]).toMatch(/^ {2}… and [\d,]+ more problems \(fix the ones above first\)$/);
    const json = JSON.parse((await runCli(['recipes', 'validate', path, '--json'], { cwd: dir })).stdout) as { errors: unknown[] };
    expect(json.errors).toHaveLength(51);
  });

  it('UTF-16 and binary recipe files are named as such; no raw byte reaches the terminal', async () => {
    const utf16 = file('utf16.yaml', Buffer.from('\ufeffid: x\nversion: 1\n', 'utf16le'));
    const u = await runCli(['recipes', 'validate', utf16], { cwd: dir });
    expect([u.code, u.stdout]).toEqual([1, `invalid: ${utf16} has 1 problem:\n  (recipe): the file is UTF-16 encoded; save it as UTF-8\n`]);
    const binary = file('binary.yaml', BINARY);
    const b = await runCli(['recipes', 'validate', binary], { cwd: dir });
    expect([b.code, b.stdout]).toEqual([1, `invalid: ${binary} has 1 problem:\n  (recipe): the file holds NUL bytes: it is binary data, not text\n`]);
    expect(hasControl(b.stdout + b.stderr)).toBe(false);
  });
});

describe('ghl-bridge start with a bad config file', { timeout: 120_000 }, () => {
  it('the 1 MB config of 40,000 keys: exit 2 at once, naming its size', async () => {
    const path = file('big-config.yaml', fortyThousandKeys);
    const started = performance.now();
    const r = await runCli(['start', '--config', path], { cwd: dir });
    expect(performance.now() - started).toBeLessThan(20_000);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(`ghl-bridge: the configuration has 1 problem (fix it and start again):\n  - ${path}: the file is 1.03 MiB (1,080,000 bytes); the limit is 256 KiB\n`);
  });

  it('UTF-16, binary, and a mysql:// database.url: each named, nothing echoed, exit 2', async () => {
    const utf16 = file('utf16-config.yaml', Buffer.from('\ufeffserver:\n  port: 8787\n', 'utf16le'));
    const u = await runCli(['start', '--config', utf16], { cwd: dir });
    expect([u.code, u.stderr]).toEqual([2, expect.stringContaining(`  - ${utf16}: the file is UTF-16 encoded; save it as UTF-8\n`)]);
    const binary = file('binary-config.yaml', BINARY);
    const b = await runCli(['start', '--config', binary], { cwd: dir });
    expect([b.code, b.stderr]).toEqual([2, expect.stringContaining(`  - ${binary}: the file holds NUL bytes: it is binary data, not text\n`)]);
    expect(hasControl(b.stdout + b.stderr)).toBe(false);
    const mysql = file('mysql-config.yaml', 'database:\n  url: mysql://root:hunter2-secret@db.example.com:3306/app\n');
    const m = await runCli(['start', '--config', mysql], { cwd: dir });
    expect([m.code, m.stderr]).toEqual([2, expect.stringContaining(`  - ${mysql}: database.url: expected postgres://user@host:5432/db (a PostgreSQL server), got a mysql:// URL\n`)]);
    expect(m.stderr).not.toMatch(/hunter2|root|db\.example/);
  });
});
