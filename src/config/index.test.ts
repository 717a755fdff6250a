import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initConfig, loadConfig } from './index.js';

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
    expect(problems).toContain('env DATABASE_URL: expected postgres://user@host:5432/db');
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

  it('says how to create a missing file', () => {
    expect(loadConfig({ file: '/nonexistent/ghl-bridge.yaml', env: {} })).toEqual({ ok: false, problems: ['/nonexistent/ghl-bridge.yaml: no such file (create one with `ghl-bridge init`)'] });
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
