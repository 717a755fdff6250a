import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { demoConfigOverrides, startDemoServices, wireDemo, type DemoEvent, type DemoHandle, type DemoServices } from '../../../src/demo/index.js';
import { openBridge, type Bridge } from '../../../src/server/bridge.js';
import { createLogger } from '../../../src/server/logger.js';
import { settleRuns } from '../../support/engine.js';

/**
 * The demo end to end on real parts: the sandbox (persisted in the temp dataDir), the four fakes
 * on loopback, the bridge on PGlite in the same dataDir with a worker, and a real hooks listener
 * (`runtime.listen`) as the webhook base URL. One cycle of 16 sample changes, then a restart on
 * the same dataDir that must reuse everything and continue the sequence.
 */

const RECIPES_DIR = join(import.meta.dirname, '../../../recipes');
const FIRST_RUN = 16;
const SECOND_RUN = 20;

interface Contact {
  id: string;
  email?: string | null;
  source?: string | null;
  tags: string[];
}

interface Running {
  services: DemoServices;
  bridge: Bridge;
  hooks: { url: string; close(): Promise<void> };
  demo: DemoHandle;
  events: DemoEvent[];
}

const dataDir = mkdtempSync(join(tmpdir(), 'ghl-bridge-demo-'));
const logLines: string[] = [];
const secretsSeen: string[] = [];

async function start(maxEvents: number): Promise<Running> {
  const services = await startDemoServices({ dataDir, sandboxPort: 0, fakesPorts: { recruitee: 0, connecteam: 0, app: 0, erp: 0 } });
  secretsSeen.push(...Object.values(services.secrets), services.sandbox.info().pit);
  const loaded = loadConfig({ env: {}, overrides: { dataDir, recipes: { dir: RECIPES_DIR }, ...demoConfigOverrides({ sandboxUrl: services.urls.sandbox }) } });
  if (!loaded.ok) throw new Error(loaded.problems.join('; '));
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logLines.push(line) } });
  const bridge = await openBridge(loaded.config, { logger });
  const hooks = await bridge.runtime.listen({ port: 0 });
  await bridge.engine.startWorker({ concurrency: 2, pollingIntervalSeconds: 0.5 });
  const events: DemoEvent[] = [];
  const demo = await wireDemo(bridge, services, { hooksBaseUrl: hooks.url, eventsEveryMs: 20, pollEveryMs: 250, maxEvents, onEvent: (e) => events.push(e) });
  return { services, bridge, hooks, demo, events };
}

/** After the last sample change: the polls once more, every delivery ended, every run settled. */
async function quiet(r: Running): Promise<Record<string, number>> {
  await r.services.fakes.recruitee.idle();
  await r.services.fakes.connecteam.idle();
  await r.services.fakes.app.idle();
  for (const [connection, trigger] of [['recruitee-main', 'recruitee.notes.changed'], ['recruitee-main', 'recruitee.tasks.changed'], ['erp-main', 'erp.customers.changed'], ['erp-main', 'erp.tasks.changed']] as const) {
    await r.bridge.runtime.poll(connection, trigger);
  }
  let counts = await settleRuns(r.bridge.db);
  // runs that act on GHL make it send webhooks, which may make runs: settle until nothing moves
  for (let i = 0; i < 3; i++) {
    await r.services.sandbox.core.webhooks.idle();
    await r.services.fakes.connecteam.idle();
    counts = await settleRuns(r.bridge.db);
  }
  return counts;
}

async function stop(r: Running): Promise<void> {
  await r.demo.stop();
  await r.services.close();
  await r.hooks.close();
  await r.bridge.close();
}

async function contacts(r: Running): Promise<Contact[]> {
  const res = await fetch(`${r.services.urls.sandbox}/_sandbox/locations/${r.demo.sandbox.locationId}/contacts`);
  return ((await res.json()) as { contacts: Contact[] }).contacts;
}

/** Demo contacts per source app (the recipes set `source`; the sandbox's seed contacts have other sources). */
function bySource(list: Contact[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of list) {
    const app = c.source?.startsWith('Recruitee') ? 'Recruitee' : c.source === 'My app' || c.source === 'Connecteam' || c.source === 'ERP' ? c.source : null;
    if (app) out[app] = (out[app] ?? 0) + 1;
  }
  return out;
}

async function runsByStatus(r: Running): Promise<Record<string, number>> {
  const { rows } = await r.bridge.db.query<{ status: string; n: string }>('select status, count(*) as n from runs group by status');
  return Object.fromEntries(rows.map((x) => [x.status, Number(x.n)]));
}

let first: Running;
let firstContacts: Contact[];
let firstRuns: Record<string, number>;
let firstCandidates: number[];

beforeAll(async () => {
  first = await start(FIRST_RUN);
  expect(await first.demo.finished).toBe(FIRST_RUN);
  firstRuns = await quiet(first);
  firstContacts = await contacts(first);
  firstCandidates = first.services.fakes.recruitee.state().candidates.map((c) => c.id);
}, 120_000);

afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the demo on a fresh dataDir', { timeout: 120_000 }, () => {
  it('creates the five connections with the ids the recipes use', async () => {
    expect(first.demo.connections).toEqual({ created: ['ghl-main', 'recruitee-main', 'connecteam-main', 'my-app', 'erp-main'], updated: [], kept: [] });
    const ghl = await first.bridge.connections.get('ghl-main');
    expect(ghl?.app).toBe('ghl-location');
    expect(ghl?.config).toMatchObject({ locationId: first.demo.sandbox.locationId, auth: 'pit', source: 'ghl' });
    expect(ghl?.secrets.reveal()).toEqual({ pit: first.services.sandbox.info().pit });
    expect((await first.bridge.connections.get('my-app'))?.config).toMatchObject({ source: 'my-app' });
  });

  it('loads every ready-made recipe, app-signup with the sandbox user instead of the placeholder', async () => {
    expect(first.demo.recipes.problems).toEqual([]);
    expect(first.demo.recipes.loaded.map((l) => l.id)).toContain('app-signup');
    expect(first.demo.recipes.schedules.map((s) => s.id)).toEqual(['erp-nightly-sync']);
    const { rows } = await first.bridge.db.query<{ version: number; definition: unknown }>(`select version, definition from recipes where id = 'app-signup'`);
    expect(rows.map((r) => r.version)).toEqual([1]);
    expect(JSON.stringify(rows[0]!.definition)).not.toContain('REPLACE_WITH_GHL_USER_ID');
    expect(JSON.stringify(rows[0]!.definition)).toContain(first.demo.sandbox.userId);
  });

  it('streams one cycle of sample changes from every fake', () => {
    expect(first.events.map((e) => e.step)).toEqual([...Array(FIRST_RUN).keys()]);
    expect(new Set(first.events.map((e) => e.connection))).toEqual(new Set(['recruitee-main', 'my-app', 'connecteam-main', 'erp-main']));
  });

  it('puts contacts in the sandbox from four sources, with zero dead runs', () => {
    expect(bySource(firstContacts)).toEqual({ Recruitee: 1, 'My app': 1, Connecteam: 1, ERP: 1 });
    expect(firstRuns.dead ?? 0).toBe(0);
    expect(firstRuns.succeeded).toBeGreaterThan(0);
  });

  it('assigns the app sign-up\'s welcome task to the sandbox user, and brings polled tasks and notes over', async () => {
    const app = firstContacts.find((c) => c.source === 'My app')!;
    const res = await fetch(`${first.services.urls.sandbox}/contacts/${app.id}/tasks`, { headers: { authorization: `Bearer ${first.services.sandbox.info().pit}`, version: '2021-07-28' } });
    const { tasks } = (await res.json()) as { tasks: Array<{ title: string; assignedTo?: string }> };
    expect(tasks.filter((t) => t.title.startsWith('Welcome ')).map((t) => t.assignedTo)).toEqual([first.demo.sandbox.userId]);
    const erp = firstContacts.find((c) => c.source === 'ERP')!;
    const erpTasks = (await (await fetch(`${first.services.urls.sandbox}/contacts/${erp.id}/tasks`, { headers: { authorization: `Bearer ${first.services.sandbox.info().pit}`, version: '2021-07-28' } })).json()) as { tasks: Array<{ title: string; completed: boolean }> };
    expect(erpTasks.tasks).toHaveLength(1);
    expect(erpTasks.tasks[0]!.completed).toBe(true); // step 10 made it, step 13 completed it
  });

  it('never logs a secret', () => {
    expect(logLines.some((l) => l.includes('demo: '))).toBe(true);
    for (const s of secretsSeen) expect(logLines.filter((l) => l.includes(s))).toEqual([]);
  });
});

describe('a restart on the same dataDir', { timeout: 120_000 }, () => {
  let second: Running;
  let secondRuns: Record<string, number>;

  beforeAll(async () => {
    await stop(first);
    second = await start(SECOND_RUN);
    expect(await second.demo.finished).toBe(SECOND_RUN);
    secondRuns = await quiet(second);
  }, 120_000);

  afterAll(async () => {
    if (second) await stop(second);
  });

  it('reuses the connections (new URLs and secrets of this start, no duplicate)', async () => {
    expect(second.demo.connections.created).toEqual([]);
    expect([...second.demo.connections.updated, ...second.demo.connections.kept].sort()).toEqual(['connecteam-main', 'erp-main', 'ghl-main', 'my-app', 'recruitee-main']);
    expect((await second.bridge.connections.list()).map((c) => c.id).sort()).toEqual(['connecteam-main', 'erp-main', 'ghl-main', 'my-app', 'recruitee-main']);
    expect((await second.bridge.connections.get('recruitee-main'))?.config).toMatchObject({ baseUrl: second.services.urls.recruitee });
  });

  it('keeps the sandbox\'s contacts and continues the sequence where it stopped', async () => {
    expect(second.events.map((e) => e.step)).toEqual([16, 17, 18, 19]);
    const now = await contacts(second);
    for (const c of firstContacts) expect(now.find((x) => x.id === c.id)?.email).toBe(c.email);
    // one more contact per source: the replay gave the fakes their old records, so no id was reused
    expect(bySource(now)).toEqual({ Recruitee: 2, 'My app': 2, Connecteam: 2, ERP: 2 });
    expect(second.services.fakes.recruitee.state().candidates.map((c) => c.id).slice(0, firstCandidates.length)).toEqual(firstCandidates);
  });

  it('has no dead run, and the replay wrote nothing twice', async () => {
    expect(secondRuns.dead ?? 0).toBe(0);
    expect((await runsByStatus(second)).dead).toBeUndefined();
    const { rows } = await second.bridge.db.query<{ n: string }>(`select count(*) as n from recipes where id = 'app-signup'`);
    expect(Number(rows[0]!.n)).toBe(1);
  });
});
