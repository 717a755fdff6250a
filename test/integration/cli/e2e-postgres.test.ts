import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErpFake, type ErpFake } from '../../../src/connectors/erp/index.js';
import type { RunSummary } from '../../../src/server/queries/runs.js';
import { serverDatabase, type TestDatabase } from '../../support/databases.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';
import { admin, cliJson, eventually, killLeftovers, sendSignedWebhook, startCli, type LongRunning } from './harness.js';
import { addConnections, createProject, ERP_KEY, SIGNING_SECRET, type Project } from './project.js';

/**
 * The same flow on a PostgreSQL server (DATABASE_URL to a fresh database): `start` plus a
 * separate `worker` process sharing the queue, a signed webhook in, a full sync with its summary.
 */

let sb: TestSandbox;
let erp: ErpFake;
let db: TestDatabase;
let p: Project;
let server: LongRunning;
let worker: LongRunning;
let url: string;
let env: Record<string, string>;

beforeAll(async () => {
  sb = await startSandbox();
  erp = await createErpFake({ apiKey: ERP_KEY });
  for (let i = 1; i <= 10; i++) erp.upsertCustomer({ id: `P${i}`, name: `Pg Customer${i}`, email: `p${i}@erp.pg.test` });
  db = await serverDatabase();
  // the CLI opens it itself; the test only keeps the name to drop it
  await db.db.close();
  env = { DATABASE_URL: db.url! };
  p = await createProject({ sandboxUrl: sb.url, prefix: 'ghlb-cli-pg-' });
  server = await startCli(['start', ...p.cfg], { cwd: p.dir, env });
  url = server.line.replace(/^ready /, '');
  worker = await startCli(['worker', '--concurrency', '2', ...p.cfg], { cwd: p.dir, env });
  await addConnections(p, url, { locationId: sb.info.locationId, pit: sb.info.pit, erpUrl: erp.url });
}, 120_000);

afterAll(async () => {
  killLeftovers();
  await erp?.close();
  await sb?.close();
  await db?.drop().catch(() => undefined);
  if (p) rmSync(p.dir, { recursive: true, force: true });
}, 60_000);

describe('ghl-bridge start + worker on a PostgreSQL server', { timeout: 120_000 }, () => {
  it('both are ready; the embedded data dir holds no database', async () => {
    expect(server.line).toMatch(/^ready http:\/\/127\.0\.0\.1:\d+$/);
    expect(worker.stdout().trim()).toBe('ready worker (2 at once)');
    expect(existsSync(join(p.dataDir, 'db'))).toBe(false);
    expect(server.stderr()).toContain('database PostgreSQL server');
  });

  it('a signed webhook makes a contact; runs list --json shows it succeeded', async () => {
    expect(await sendSignedWebhook(url, 'my-app', SIGNING_SECRET, 'msg_pg_1', { type: 'user.created', data: { id: 'pg1', email: 'linus@pg.test', name: 'Linus Torvalds' } })).toBe(200);
    await eventually(async () => ((await admin<{ items: RunSummary[] }>(url, p.token, '/runs?recipe=cli-signup')).items[0]?.status === 'succeeded' ? true : undefined), 'the run');
    const runs = await cliJson<RunSummary[]>(['runs', 'list', '--recipe', 'cli-signup', ...p.at(url)], { cwd: p.dir });
    expect(runs.map((r) => [r.status, r.recordKey])).toEqual([['succeeded', 'app:pg1']]);
    const found = await sb.api<{ contacts: Array<{ email: string }> }>('GET', `/_sandbox/locations/${sb.info.locationId}/contacts`);
    expect(found.body.contacts.some((c) => c.email === 'linus@pg.test')).toBe(true);
  });

  it('sync --full ends with its summary', async () => {
    const summary = await cliJson<{ status: string; records: number; created: number; failed: number }>(['sync', '--full', 'erp-customers', '--connection', 'erp-main', ...p.at(url)], { cwd: p.dir });
    expect(summary).toMatchObject({ status: 'done', records: 10, created: 10, failed: 0 });
  });

  it('worker and server stop with exit 0 on SIGTERM', async () => {
    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(await server.stop('SIGTERM')).toBe(0);
  });
});
