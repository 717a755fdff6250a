import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_TEMPLATE, initConfig, loadConfig } from './index.js';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'config-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('loadConfig', () => {
  it('defaults without a file: embedded database under ./data, loopback, port 8787', () => {
    const r = loadConfig({ file: undefined, env: {} });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({ server: { host: '127.0.0.1', port: 8787, publicUrl: 'http://127.0.0.1:8787' }, database: {}, demo: false });
    expect(r.config.dbDir).toBe(join(process.cwd(), 'data', 'db'));
  });

  it('lists every problem at once, each with its path, environment included', () => {
    const dir = fresh();
    const file = join(dir, 'ghl-bridge.yaml');
    writeFileSync(file, 'server:\n  port: "eighty"\n  hots: 0.0.0.0\nworkers: { concurrency: 0 }\nghl:\n  oauth: { clientId: abc }\n');
    const r = loadConfig({ file, env: { DATABASE_URL: 'mysql://x', GHL_BRIDGE_ADMIN_TOKEN: 'short' } });
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems.some((p) => p.includes('server.port'))).toBe(true);
    expect(problems.some((p) => p.includes('unknown key "hots"'))).toBe(true);
    expect(problems.some((p) => p.includes('workers.concurrency'))).toBe(true);
    expect(problems).toContain('env DATABASE_URL: expected postgres://user@host:5432/db (a PostgreSQL server), got a mysql:// URL');
    expect(problems.some((p) => p.startsWith('env GHL_CLIENT_SECRET: required'))).toBe(true);
    expect(problems.some((p) => p.startsWith('env GHL_BRIDGE_ADMIN_TOKEN: too short'))).toBe(true);
    expect(problems.join('\n')).not.toContain('short'.repeat(2));
  });

  it("reads relative paths from the config file's folder, and secrets from the environment", () => {
    const dir = fresh();
    const file = join(dir, 'ghl-bridge.yaml');
    writeFileSync(file, 'dataDir: ./state\nrecipes: { dir: ./mine }\n');
    const r = loadConfig({ file, env: { DATABASE_URL: 'postgres://u@127.0.0.1:5432/x', GHL_BRIDGE_ADMIN_TOKEN: 'a'.repeat(30) } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({ dataDir: join(dir, 'state'), keyFile: join(dir, 'state', 'secret.key'), recipes: { dir: join(dir, 'mine') }, database: { url: 'postgres://u@127.0.0.1:5432/x' }, adminToken: 'a'.repeat(30) });
  });

  it('reads the /metrics token from the variable metrics.tokenEnv names; a short one is a problem that never shows it', () => {
    const overrides = { metrics: { tokenEnv: 'SCRAPE_TOKEN' } };
    const set = loadConfig({ env: { SCRAPE_TOKEN: ' scrape-token-0123456789 ' }, overrides });
    expect(set).toMatchObject({ ok: true, config: { metricsToken: 'scrape-token-0123456789', metrics: { tokenEnv: 'SCRAPE_TOKEN' } } });
    const unset = loadConfig({ env: {}, overrides });
    expect(unset.ok && unset.config.metricsToken).toBe(undefined);
    const none = loadConfig({ env: { SCRAPE_TOKEN: 'scrape-token-0123456789' } });
    expect(none.ok && none.config.metricsToken).toBe(undefined);
    const short = loadConfig({ env: { SCRAPE_TOKEN: 'tiny-secret' }, overrides });
    expect(short).toEqual({ ok: false, problems: ['env SCRAPE_TOKEN (metrics.tokenEnv): too short (at least 16 characters)'] });
  });

  it('says how to create a missing file', () => {
    expect(loadConfig({ file: '/nonexistent/ghl-bridge.yaml', env: {} })).toEqual({ ok: false, problems: ['/nonexistent/ghl-bridge.yaml: no such file (create one with `ghl-bridge init`)'] });
  });
});

describe('loadConfig: bad files and values', () => {
  const write = (content: string | Buffer) => {
    const file = join(fresh(), 'ghl-bridge.yaml');
    writeFileSync(file, content);
    return file;
  };

  it('database.url must be a PostgreSQL URL; the message names the field and never the password', () => {
    const r = loadConfig({ file: write('database:\n  url: mysql://root:hunter2-secret@db.example.com:3306/app\n'), env: {} });
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems).toEqual([expect.stringMatching(/ghl-bridge\.yaml: database\.url: expected postgres:\/\/user@host:5432\/db \(a PostgreSQL server\), got a mysql:\/\/ URL$/)]);
    expect(problems.join('\n')).not.toMatch(/hunter2|root|db\.example/);
    for (const good of ['postgres://u:p@127.0.0.1:5432/x', 'postgresql://u@db/x']) expect(loadConfig({ file: write(`database:\n  url: ${good}\n`), env: {} }).ok).toBe(true);
    const notUrl = loadConfig({ file: write('database:\n  url: "host=db password=hunter2"\n'), env: {} });
    expect(notUrl.ok ? [] : notUrl.problems).toEqual([expect.stringContaining('database.url: expected postgres://user@host:5432/db (a PostgreSQL server), got text that is not a URL')]);
  });

  it('a UTF-16 file is named UTF-16 (not "not a mapping")', () => {
    const text = 'server:\n  port: 8787\n';
    for (const bytes of [Buffer.from(`\ufeff${text}`, 'utf16le'), Buffer.from(`\ufeff${text}`, 'utf16le').swap16(), Buffer.from(text, 'utf16le')]) {
      const file = write(bytes);
      expect(loadConfig({ file, env: {} })).toEqual({ ok: false, problems: [`${file}: the file is UTF-16 encoded; save it as UTF-8`] });
    }
  });

  it('a binary file is called binary, and none of its bytes are echoed', () => {
    const bytes = Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01\x1b[2J\x1b]0;owned\x07', 'latin1'), Buffer.alloc(64), Buffer.from([0xff, 0xd8, 0x9b])]);
    const file = write(bytes);
    const r = loadConfig({ file, env: {} });
    expect(r).toEqual({ ok: false, problems: [`${file}: the file holds NUL bytes: it is binary data, not text`] });
    const escapes = write('server:\n  host: "a\x1b[2Jb"\n');
    const e = loadConfig({ file: escapes, env: {} });
    expect(e.ok ? [] : e.problems).toEqual([`${escapes}: the file holds a control character (U+001B on line 2, column 11); YAML and JSON text has none (write it escaped, e.g. "\\u001b" in a double-quoted string)`]);
  });

  it('a 1 MB file of 40,000 keys is refused at once by its size, in one short line', () => {
    const file = write(Array.from({ length: 40_000 }, (_, i) => `key_${String(i).padStart(6, '0')}: value-xxxxxxxx\n`).join(''));
    const started = performance.now();
    const r = loadConfig({ file, env: {} });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(r).toEqual({ ok: false, problems: [`${file}: the file is 1.03 MiB (1,080,000 bytes); the limit is 256 KiB`] });
  });

  it('duplicate keys are listed with their lines; a list of thousands stops at 50 and says how many more', () => {
    const dup = write('server:\n  port: 1\n  port: 2\n');
    expect(loadConfig({ file: dup, env: {} })).toEqual({ ok: false, problems: [`${dup}: server: YAML: duplicate key "port" on line 3 (first on line 2)`] });
    const many = write(`recipes:\n${Array.from({ length: 5000 }, (_, i) => `  k${i % 10}: 1\n`).join('')}`);
    const r = loadConfig({ file: many, env: {} });
    const problems = r.ok ? [] : r.problems;
    expect(problems).toHaveLength(51);
    expect(problems[50]).toBe('and 4,940 more problems (fix the ones above first)');
  });
});

describe('initConfig', () => {
  it('writes a config that loads, a 0600 key file and admin token, and never overwrites', async () => {
    const dir = fresh();
    const configFile = join(dir, 'ghl-bridge.yaml');
    const first = await initConfig({ configFile, dataDir: './data' });
    expect(first).toMatchObject({ wroteConfig: true, keySource: 'created' });
    expect(first.adminToken).toMatch(/^gbat_/);
    expect(statSync(first.adminTokenFile).mode & 0o777).toBe(0o600);
    expect(loadConfig({ file: configFile, env: {} })).toMatchObject({ ok: true, config: { dataDir: join(dir, 'data') } });
    const again = await initConfig({ configFile, dataDir: './data' });
    expect(again).toMatchObject({ wroteConfig: false, keySource: 'file', adminToken: null });
  });
});

describe('the config template', () => {
  it('its commented alerts example is valid once uncommented (channels, default, digest)', () => {
    const lines = CONFIG_TEMPLATE.split('\n');
    const start = lines.indexOf('# alerts:');
    expect(start).toBeGreaterThan(0);
    const block: string[] = [];
    for (const line of lines.slice(start)) {
      if (!line.startsWith('#')) break;
      block.push(line.replace(/^# ?/, ''));
    }
    const d = fresh();
    const file = join(d, 'ghl-bridge.yaml');
    writeFileSync(file, block.join('\n'));
    const r = loadConfig({ file, env: {} });
    if (!r.ok) throw new Error(r.problems.join('; '));
    expect(Object.keys(r.config.alerts.channels)).toEqual(['ops-mail', 'team-chat', 'pager']);
    expect(r.config.alerts).toMatchObject({ default: ['ops-mail', 'team-chat'], digest: 'off', channels: { 'ops-mail': { type: 'email', smtp: { port: 587, passwordEnv: 'SMTP_PASSWORD' } }, pager: { type: 'webhook', secretEnv: 'ALERTS_WEBHOOK_SECRET' } } });
  });
});
