import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { openBridge } from '../../../src/server/bridge.js';
import { createLogger } from '../../../src/server/logger.js';
import { serverDatabase, type TestDatabase } from '../../support/databases.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';
import { killLeftovers, sendSignedWebhook, startCli, type LongRunning } from './harness.js';
import { createProject, SIGNING_SECRET, type Project } from './project.js';

/**
 * "A run that dies writes no log line, even at --log-level info": the real `start` (embedded
 * database) and the real `worker` (PostgreSQL server) processes at `--log-level info` (the
 * project's config says `warn`), a recipe GHL refuses (the sandbox answers 422 to an email that is
 * no email: no transform checks it first), and the dead letter's warn line on stderr with its fields as JSON keys.
 */

const FAILING = `id: cli-dob
version: 1
name: Emails GHL refuses
trigger: { source: app, events: [user.born] }
connection: ghl-main
recordId: data.id
mapping:
  contact:
    email: { value: not-an-email }
actions:
  - type: upsertContact
`;

let sb: TestSandbox;
const projects: Project[] = [];
let db: TestDatabase | undefined;

beforeAll(async () => {
  sb = await startSandbox();
}, 60_000);

afterAll(async () => {
  killLeftovers();
  await sb?.close();
  await db?.drop().catch(() => undefined);
  for (const p of projects) rmSync(p.dir, { recursive: true, force: true });
}, 60_000);

async function project(prefix: string): Promise<Project> {
  const p = await createProject({ sandboxUrl: sb.url, prefix });
  writeFileSync(join(p.dir, 'recipes', 'cli-dob.yaml'), FAILING);
  projects.push(p);
  return p;
}

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** The first JSON line on the process's stderr that is a dead letter, parsed. */
async function deadLetterLine(proc: LongRunning): Promise<LogLine> {
  const raw = await proc.waitForStderr(/^\{.*"event":"run\.dead-lettered".*\}$/m);
  return JSON.parse(raw) as LogLine;
}

function expectDeadLetterFields(line: LogLine) {
  expect(line).toMatchObject({
    level: 40,
    event: 'run.dead-lettered',
    recipeId: 'cli-dob',
    recipeVersion: 1,
    connection: 'ghl-main',
    errorCode: 'VALIDATION',
    httpStatus: 422,
    step: 1,
    operation: 'upsert-contact',
  });
  expect(typeof line.runId).toBe('number');
  expect(line.cause).toMatch(/email must be an email/);
  expect(line.cause).not.toContain('\n');
  expect(line.msg).toBe(`run ${line.runId} (recipe cli-dob) dead-lettered: ${String(line.cause)}`);
  // the location's token never reaches the log
  expect(JSON.stringify(line)).not.toContain(sb.info.pit);
}

describe('the dead-letter log line', { timeout: 120_000 }, () => {
  it('`ghl-bridge start --log-level info` (embedded database) writes it, with its fields', async () => {
    const p = await project('ghlb-cli-dlq-start-');
    const server = await startCli(['start', '--log-level', 'info', ...p.cfg], { cwd: p.dir });
    const url = server.line.replace(/^ready /, '');
    const add = async (body: Record<string, unknown>) => {
      const res = await fetch(`${url}/api/v1/connections`, { method: 'POST', headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status, await res.text()).toBe(201);
    };
    await add({ id: 'ghl-main', app: 'ghl-location', name: 'Sandbox', config: { locationId: sb.info.locationId, auth: 'pit' }, secrets: { pit: sb.info.pit } });
    await add({ id: 'my-app', app: 'webhook', name: 'Our app', config: { source: 'app' }, secrets: { signingSecret: SIGNING_SECRET } });
    expect(await sendSignedWebhook(url, 'my-app', SIGNING_SECRET, 'msg_dlq_1', { type: 'user.born', data: { id: 'u1', email: 'ada@dlq.test' } })).toBe(200);
    expectDeadLetterFields(await deadLetterLine(server));
    expect(server.stderr()).not.toContain(SIGNING_SECRET);
    expect(await server.stop('SIGTERM')).toBe(0);
  });

  it('`ghl-bridge worker --log-level info` (PostgreSQL server) writes it, with its fields', async () => {
    const p = await project('ghlb-cli-dlq-worker-');
    db = await serverDatabase();
    await db.db.close();
    const env = { DATABASE_URL: db.url! };
    // the test seeds the shared database itself, so the worker process is the only one that can take the run
    const loaded = loadConfig({ file: p.configFile, env: { ...env } });
    if (!loaded.ok) throw new Error(loaded.problems.join('; '));
    const seeder = await openBridge(loaded.config, { logger: createLogger({ level: 'silent' }) });
    try {
      const load = await seeder.loadRecipes();
      expect(load.loaded.map((r) => r.id)).toContain('cli-dob');
      await seeder.connections.create({ id: 'ghl-main', app: 'ghl-location', name: 'Sandbox', config: { locationId: sb.info.locationId, auth: 'pit' }, secrets: { pit: sb.info.pit } });
      const worker = await startCli(['worker', '--log-level', 'info', ...p.cfg], { cwd: p.dir, env });
      await seeder.engine.ingest({ source: 'app', externalId: 'evt-dlq-1', type: 'user.born', payload: { type: 'user.born', data: { id: 'u2', email: 'grace@dlq.test' } } });
      expectDeadLetterFields(await deadLetterLine(worker));
      expect(await worker.stop('SIGTERM')).toBe(0);
    } finally {
      await seeder.close();
    }
  });
});
