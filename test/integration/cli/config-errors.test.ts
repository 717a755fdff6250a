import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './harness.js';

/** Refusals before anything runs: every config problem at once (exit 2), usage errors, an unreachable server (exit 3). */

const dir = mkdtempSync(join(tmpdir(), 'ghlb-cli-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('ghl-bridge configuration and usage errors', { timeout: 120_000 }, () => {
  it('start lists all three mistakes of a config file and exits 2', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, ['dataDir: ./data', 'server:', '  port: eighty', '  hots: 127.0.0.1', 'log:', '  level: loud', ''].join('\n'));
    const r = await runCli(['start', '--config', file], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('the configuration has 3 problems');
    const problems = r.stderr.split('\n').filter((l) => l.startsWith('  - '));
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/server\.port: /);
    expect(problems.join('\n')).toMatch(/hots/);
    expect(problems.join('\n')).toMatch(/log\.level: /);
  });

  it('a missing config file, a bad DATABASE_URL and worker on the embedded database exit 2', async () => {
    const missing = await runCli(['start', '--config', join(dir, 'nope.yaml')], { cwd: dir });
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('no such file (create one with `ghl-bridge init`)')]);
    const badUrl = await runCli(['start'], { cwd: dir, env: { DATABASE_URL: 'mysql://x' } });
    expect([badUrl.code, badUrl.stderr]).toEqual([2, expect.stringContaining('env DATABASE_URL: expected postgres://')]);
    const worker = await runCli(['worker'], { cwd: dir });
    expect(worker.code).toBe(2);
    expect(worker.stderr).toContain('needs a PostgreSQL server');
  });

  it('unknown options and commands exit 2; --help exits 0', async () => {
    expect((await runCli(['runs', 'list', '--bogus'], { cwd: dir })).code).toBe(2);
    expect((await runCli(['nonsense'], { cwd: dir })).code).toBe(2);
    const help = await runCli(['--help'], { cwd: dir });
    expect([help.code, help.stdout]).toEqual([0, expect.stringContaining('Exit codes: 0 ok, 1 operation failed, 2 usage')]);
  });

  it('an unreachable server exits 3 with the hint; no token at all exits 2 saying where it is looked for', async () => {
    const port = await closedPort();
    const r = await runCli(['runs', 'list', '--url', `http://127.0.0.1:${port}`, '--token', 'gbat_whatever-token-0000000000000'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`cannot reach the ghl-bridge server at http://127.0.0.1:${port}`);
    expect(r.stderr).toContain('is `ghl-bridge start` running?');
    const noToken = await runCli(['dlq', 'list', '--url', `http://127.0.0.1:${port}`], { cwd: dir });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain(`${join(dir, 'data', 'admin.token')} does not exist`);
  });

  it('ops list --app with an unknown app is a usage error (exit 2) naming the apps', async () => {
    const r = await runCli(['ops', 'list', '--app', 'bogus'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--app: unknown app "bogus"; choose one of');
    expect((await runCli(['ops', 'list', '--app', 'erp', '--json'], { cwd: dir })).code).toBe(0);
  });

  it('init with an existing config file writes the key and the token under its dataDir, not under --data', async () => {
    const project = join(dir, 'existing');
    mkdirSync(project);
    const file = join(project, 'ghl-bridge.yaml');
    writeFileSync(file, 'dataDir: ./state\nlog:\n  level: warn\n');
    const r = await runCli(['init', '--config', file, '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { wroteConfig: boolean; dataDir: string; keyFile: string; adminTokenFile: string; adminToken: string };
    expect(out).toMatchObject({ wroteConfig: false, dataDir: join(project, 'state'), keyFile: join(project, 'state', 'secret.key'), adminTokenFile: join(project, 'state', 'admin.token') });
    expect(readFileSync(join(project, 'state', 'admin.token'), 'utf8').trim()).toBe(out.adminToken);
    expect(existsSync(join(dir, 'data'))).toBe(false);
    expect(existsSync(join(project, 'data'))).toBe(false);
    // an explicit --data that differs is said to be ignored; the file is never changed
    const other = await runCli(['init', '--config', file, '--data', './elsewhere'], { cwd: dir });
    expect(other.code).toBe(0);
    expect(other.stderr).toContain(`--data ignored: ${file} exists and names dataDir ${join(project, 'state')}`);
    expect(other.stdout).toContain('kept the admin token');
    expect(existsSync(join(project, 'elsewhere'))).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('dataDir: ./state\nlog:\n  level: warn\n');
  });
  it('runs show abc: "run id must be a number", exit 2, nothing asked of the server', async () => {
    const r = await runCli(['runs', 'show', 'abc', '--url', `http://127.0.0.1:${await closedPort()}`, '--token', 'gbat_x'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('run id must be a number (the ID column of `ghl-bridge runs list`), not "abc"');
  });

  it('pointed at a server that is not ghl-bridge: says so (exit 3), not a bare 404', async () => {
    const other = createHttpServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(other.address() as { port: number }).port}`;
      const r = await runCli(['runs', 'list', '--url', url, '--token', 'gbat_x'], { cwd: dir });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`${url} answered 404 to GET /api/v1/runs, without ghl-bridge's error format: this is not a ghl-bridge server`);
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });
});
