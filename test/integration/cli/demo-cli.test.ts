import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../src/server/queries/runs.js';
import { cliJson, eventually, killLeftovers, runCli, startCli, type LongRunning } from './harness.js';

/**
 * `ghl-bridge demo` (what `npm start` runs): it reaches ready, prints the URLs, the admin token
 * and three commands to try; sample events become runs the CLI lists with that token; SIGINT
 * exits 0; a restart on the same data keeps the contacts and the runs.
 */

const dir = mkdtempSync(join(tmpdir(), 'ghlb-cli-demo-'));
const data = join(dir, 'data');
const args = ['demo', '--data', data, '--port', '0', '--sandbox-port', '0', '--events-every', '100', '--max-events', '6'];

afterAll(() => {
  killLeftovers();
  rmSync(dir, { recursive: true, force: true });
});

interface Banner {
  url: string;
  token: string;
  sandbox: string;
  locationId: string;
}

function banner(d: LongRunning): Banner {
  const out = d.stdout();
  return {
    url: d.line.replace(/^ready /, ''),
    token: /admin token\s+(gbat_\S+)/.exec(out)![1]!,
    sandbox: /GHL sandbox\s+(http:\/\/\S+)/.exec(out)![1]!,
    locationId: /\(location (\S+);/.exec(out)![1]!,
  };
}

async function demoContacts(b: Banner): Promise<number> {
  const res = await fetch(`${b.sandbox}/_sandbox/locations/${b.locationId}/contacts`);
  const body = (await res.json()) as { contacts: Array<{ source?: string | null }> };
  return body.contacts.filter((c) => c.source === 'My app' || c.source === 'Connecteam' || c.source === 'ERP' || c.source?.startsWith('Recruitee')).length;
}

async function succeededRuns(b: Banner, atLeast: number): Promise<RunSummary[]> {
  return eventually(async () => {
    const runs = await cliJson<RunSummary[]>(['runs', 'list', '--status', 'succeeded', '--url', b.url, '--token', b.token], { cwd: dir });
    return runs.length >= atLeast ? runs : undefined;
  }, `${atLeast} succeeded runs`, 90_000);
}

describe('ghl-bridge demo', { timeout: 120_000 }, () => {
  let runsBefore = 0;
  let contactsBefore = 0;

  it('reaches ready, prints URLs, token and four commands (the scrape among them); sample events become runs; SIGINT exits 0', async () => {
    const demo = await startCli(args, { cwd: dir, timeoutMs: 90_000 });
    const b = banner(demo);
    const out = demo.stdout();
    expect(out).toContain(`admin API   ${b.url}/api/v1`);
    expect(out).toMatch(/fakes\s+recruitee http:\/\/127\.0\.0\.1:\d+ · connecteam http:\/\/127\.0\.0\.1:\d+ · your app http:\/\/127\.0\.0\.1:\d+ · erp http:\/\/127\.0\.0\.1:\d+/);
    // run from the data dir's parent, the default config finds ./data/admin.token: no --token needed
    expect(out).toContain(`  npx ghl-bridge runs list --url ${b.url}\n`);
    expect(out).toContain(`curl -H "Authorization: Bearer ${b.token}" ${b.url}/api/v1/runs`);
    expect(out).toContain('npx ghl-bridge ops list');
    // no metrics.tokenEnv: the scrape is open, and the line says so by sending no header
    expect(out).toContain(`  curl ${b.url}/metrics\n`);
    expect((await fetch(`${b.url}/metrics`)).status).toBe(200);
    expect(out.trimEnd().split('\n').at(-1)).toBe(`ready ${b.url}`);
    const runs = await succeededRuns(b, 3);
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);
    // the command as printed works too
    const printed = await cliJson<RunSummary[]>(['runs', 'list', '--url', b.url], { cwd: dir });
    expect(printed.length).toBeGreaterThanOrEqual(runs.length);
    // the token printed is the one in the data dir, and the admin API takes it
    const res = await fetch(`${b.url}/api/v1/runs`, { headers: { authorization: `Bearer ${b.token}` } });
    expect(res.status).toBe(200);
    await eventually(async () => ((await demoContacts(b)) >= 3 ? true : undefined), 'demo contacts in the sandbox', 90_000);
    runsBefore = (await cliJson<RunSummary[]>(['runs', 'list', '--limit', '500', '--url', b.url, '--token', b.token], { cwd: dir })).length;
    contactsBefore = await demoContacts(b);
    expect(await demo.stop('SIGINT')).toBe(0);
  }, 180_000);

  it('a restart on the same data keeps the runs and the contacts', async () => {
    const demo = await startCli(args, { cwd: dir, timeoutMs: 90_000 });
    const b = banner(demo);
    const runs = await cliJson<RunSummary[]>(['runs', 'list', '--limit', '500', '--url', b.url, '--token', b.token], { cwd: dir });
    expect(runsBefore).toBeGreaterThanOrEqual(3);
    expect(runs.length).toBeGreaterThanOrEqual(runsBefore);
    expect(contactsBefore).toBeGreaterThanOrEqual(3);
    expect(await demoContacts(b)).toBeGreaterThanOrEqual(contactsBefore);
    const again = await runCli(['runs', 'list', '--url', b.url, '--token', 'gbat_wrong-token-000000000000000000'], { cwd: dir });
    expect(again.code).toBe(4);
    expect(await demo.stop('SIGINT')).toBe(0);
  }, 180_000);
});
