import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxInfo } from '../../../src/sandbox/index.js';

const root = resolve(import.meta.dirname, '../../..');
const cli = ['--import', 'tsx', join(root, 'src/cli/index.ts')];
const children: ChildProcess[] = [];

type JsonLine = Omit<SandboxInfo, 'locations'>;

/** Runs `ghl-bridge sandbox … --json` as a child process and reads its one JSON line. */
async function startCli(args: string[]): Promise<{ line: JsonLine; child: ChildProcess }> {
  const child = spawn(process.execPath, [...cli, 'sandbox', '--port', '0', '--json', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const line = await new Promise<string>((resolveLine, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolveLine(out.slice(0, out.indexOf('\n')));
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  return { line: JSON.parse(line) as JsonLine, child };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((r) => {
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('ghl-bridge sandbox (CLI)', { timeout: 120_000 }, () => {
  it('prints one JSON line with everything a script needs, and the PIT works', async () => {
    const { line, child } = await startCli([]);
    expect(Object.keys(line).sort()).toEqual(['clientId', 'clientSecret', 'companyId', 'locationId', 'pit', 'redirectUri', 'url', 'webhookPublicKey']);
    expect(line.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(line.webhookPublicKey).toContain('BEGIN PUBLIC KEY');
    const res = await fetch(`${line.url}/contacts/?locationId=${line.locationId}`, { headers: { authorization: `Bearer ${line.pit}`, version: '2021-07-28' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { contacts: unknown[]; meta: { total: number } };
    expect(body.contacts.length).toBeGreaterThan(0);
    expect(res.headers.get('x-ratelimit-max')).toBe('100');
    await stop(child);
  });

  it('applies --rate-limit, --fault and --data flags', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ghl-cli-'));
    try {
      const data = join(dir, 'state.json');
      const { line, child } = await startCli(['--rate-limit', '5/60000', '--fault', 'method=DELETE,path=/contacts/*,status=503', '--data', data]);
      const headers = { authorization: `Bearer ${line.pit}`, version: '2021-07-28' };
      const del = await fetch(`${line.url}/contacts/whatever`, { method: 'DELETE', headers });
      expect(del.status).toBe(503);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await fetch(`${line.url}/contacts/?locationId=${line.locationId}`, { headers })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      await stop(child);
      const again = await startCli(['--data', data]);
      expect(again.line.pit).toBe(line.pit);
      expect(again.line.locationId).toBe(line.locationId);
      await stop(again.child);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad flags with a message and a non-zero exit', () => {
    const r = spawnSync(process.execPath, [...cli, 'sandbox', '--rate-limit', 'lots'], { cwd: root, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('MAX/INTERVAL_MS');
    const f = spawnSync(process.execPath, [...cli, 'sandbox', '--fault', 'path=/x,status=404'], { cwd: root, encoding: 'utf8' });
    expect(f.status).not.toBe(0);
    expect(f.stderr).toContain('status must be one of');
  });
});
