import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErpFake, type ErpFake } from '../../../src/connectors/erp/index.js';
import { ADMIN_TOKEN, startServerHarness, type ServerHarness } from '../server/harness.js';
import { cliJson, runCli } from './harness.js';

/** `ghl-bridge recipes dry-run <id> --backfill <connection>` against a real server and a real ERP fake. */
const ERP_KEY = 'erp-cli-backfill-key-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'ghlb-cli-backfill-'));
let h: ServerHarness;
let erp: ErpFake;
let target: string[];

beforeAll(async () => {
  erp = await createErpFake({ apiKey: ERP_KEY });
  for (let i = 1; i <= 3; i++) erp.upsertCustomer({ id: `K${i}`, name: `Cli Customer${i}`, email: `k${i}@cli.test`, city: i === 1 ? 'Oslo' : 'Bergen' });
  erp.upsertCustomer({ id: 'K4', name: 'No Details' });
  h = await startServerHarness({ recipes: ['erp-customers'] });
  for (const body of [
    { id: 'ghl-main', app: 'ghl-location', name: 'GHL', config: { locationId: h.sb.info.locationId, auth: 'pit' }, secrets: { pit: h.sb.info.pit } },
    { id: 'erp-main', app: 'erp', name: 'ERP', config: { baseUrl: erp.url }, secrets: { apiKey: ERP_KEY } },
  ]) {
    const res = await h.call('POST', '/api/v1/connections', { body });
    if (res.status !== 201) throw new Error(`connection ${body.id}: ${res.status} ${res.text}`);
  }
  target = ['--url', h.url, '--token', ADMIN_TOKEN];
}, 60_000);

afterAll(async () => {
  await h?.close();
  await erp?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ghl-bridge recipes dry-run --backfill', () => {
  it('prints the summary line and a table of the records; --json is the API answer', async () => {
    const ghlRequests = h.sb.sandbox.core.log.total;
    const r = await runCli(['recipes', 'dry-run', 'erp-customers', '--backfill', 'erp-main', ...target], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('recipe erp-customers@1 over erp-main: 4 listed, 4 considered');
    expect(lines[1]).toBe('3 create, 0 update, 0 unchanged, 1 skipped, 0 errors — nothing was written');
    expect(lines[2]).toMatch(/^RECORD\s+OUTCOME\s+CALLS$/);
    expect(lines.slice(3).map((l) => l.split(/\s+/).slice(0, 2).join(' ')).sort()).toEqual(['K1 create', 'K2 create', 'K3 create', 'K4 skipped']);
    expect(lines.find((l) => l.startsWith('K1'))).toMatch(/POST \/contacts\/upsert, POST \/contacts\/\{contactId\}\/tags$/);
    const json = await cliJson<{ considered: number; truncated: boolean; items: unknown[] }>(['recipes', 'dry-run', 'erp-customers', '--backfill', 'erp-main', '--limit', '1', '--filter', '{"path":"customer.city","equals":"Bergen"}', ...target], { cwd: dir });
    expect(json).toMatchObject({ considered: 1, truncated: true });
    expect(json.items).toHaveLength(1);
    // nothing written: no GHL request at all, no event stored
    expect(h.sb.sandbox.core.log.total).toBe(ghlRequests);
    expect(Number((await h.bridge.db.query<{ n: string }>('select count(*) as n from events')).rows[0]!.n)).toBe(0);
  }, 60_000);

  it('--payload with --backfill, neither, a bad --limit or --filter: exit 2 before any call', async () => {
    const both = await runCli(['recipes', 'dry-run', 'erp-customers', '--payload', 'p.json', '--backfill', 'erp-main', ...target], { cwd: dir });
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('--payload and --backfill: use one of them')]);
    const neither = await runCli(['recipes', 'dry-run', 'erp-customers', ...target], { cwd: dir });
    expect([neither.code, neither.stderr]).toEqual([2, expect.stringContaining('needs --payload <file> or --sample (one event), --event <id> (a stored event) or --backfill <connection>')]);
    const limit = await runCli(['recipes', 'dry-run', 'erp-customers', '--backfill', 'erp-main', '--limit', '0', ...target], { cwd: dir });
    expect([limit.code, limit.stderr]).toEqual([2, expect.stringContaining('--limit: expected a whole number from 1 to 1000')]);
    const filter = await runCli(['recipes', 'dry-run', 'erp-customers', '--backfill', 'erp-main', '--filter', '{nope', ...target], { cwd: dir });
    expect([filter.code, filter.stderr]).toEqual([2, expect.stringContaining('--filter: not JSON')]);
    const unknown = await runCli(['recipes', 'dry-run', 'erp-customers', '--backfill', 'nope', ...target], { cwd: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no connection "nope"');
  }, 60_000);
});
