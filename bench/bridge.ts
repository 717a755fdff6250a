/**
 * The bridge as users run it: `ghl-bridge init` in a temp folder, the config file pointed at the
 * sandbox (nothing else changed: default workers, governor on), recipe files, then `ghl-bridge
 * start` (embedded PGlite in a fresh data dir, or DATABASE_URL) and optionally `ghl-bridge worker`
 * processes. Connections are added through the admin API; events arrive as signed Standard
 * Webhooks over HTTP at `/hooks/<connection>`, the generic app webhook connector.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { standardWebhookHeaders } from '../src/connectors/webhook/sign.js';
import { CLI, cpuSeconds, runChild, sleep, startChild, type Child } from './processes.js';
import type { CallCounts, Sandbox } from './ghl-sandbox.js';

export const SIGNING_SECRET = 'whsec_YmVuY2gtd2ViaG9vay1zaWduaW5nLXNlY3JldC0wMQ==';
export const APP_CONNECTION = 'my-app';

/** One recipe: events of `event` from the app become an upsert on GHL connection `connection`. */
export interface BenchRecipe {
  id: string;
  event: string;
  connection: string;
}

const recipeYaml = (r: BenchRecipe) => `id: ${r.id}
version: 1
name: Bench ${r.id}
trigger: { source: app, events: [${r.event}] }
connection: ${r.connection}
recordId: data.id
mapping:
  contact:
    email: { path: data.email, transforms: [email] }
    firstName: { path: data.name, transforms: [firstName] }
    lastName: { path: data.name, transforms: [lastName] }
actions:
  - type: upsertContact
`;

export interface Project {
  dir: string;
  configFile: string;
  dataDir: string;
  token: string;
  remove(): void;
}

/** `init`, then the four lines a user edits: port, GHL base URL, recipes folder, log level. */
export async function createProject(sandboxUrl: string, recipes: BenchRecipe[]): Promise<Project> {
  const dir = mkdtempSync(join(tmpdir(), 'ghlb-bench-'));
  const configFile = join(dir, 'ghl-bridge.yaml');
  const dataDir = join(dir, 'data');
  const recipesDir = join(dir, 'recipes');
  mkdirSync(recipesDir);
  for (const r of recipes) writeFileSync(join(recipesDir, `${r.id}.yaml`), recipeYaml(r));
  const init = JSON.parse(await runChild('init', [CLI, 'init', '--config', configFile, '--data', dataDir, '--json'], { cwd: dir })) as { adminToken: string | null };
  if (!init.adminToken) throw new Error('init did not create an admin token');
  let text = readFileSync(configFile, 'utf8');
  for (const [pattern, replacement] of [
    [/^ {2}port: 8787$/m, '  port: 0'],
    [/^ {2}baseUrl: https:\/\/services\.leadconnectorhq\.com$/m, `  baseUrl: ${sandboxUrl}`],
    [/^ {2}dir: \.\/recipes$/m, `  dir: ${recipesDir}`],
    [/^ {2}level: info$/m, '  level: warn'],
  ] as const) {
    if (!pattern.test(text)) throw new Error(`ghl-bridge.yaml: ${pattern} not found (did init's template change?)`);
    text = text.replace(pattern, replacement);
  }
  writeFileSync(configFile, text);
  return { dir, configFile, dataDir, token: init.adminToken, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Bridge {
  url: string;
  start: Child;
  workers: Child[];
  /** the engine processes: `start` and every `worker` */
  processes(): Child[];
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
  addWorker(): Promise<Child>;
  stop(): Promise<void>;
}

/** `ghl-bridge start --config …` (embedded database unless `databaseUrl`), ready when it prints `ready <url>`. */
export async function startBridge(project: Project, o: { databaseUrl?: string; workers?: number } = {}): Promise<Bridge> {
  const env: Record<string, string> = o.databaseUrl ? { DATABASE_URL: o.databaseUrl } : {};
  const start = await startChild('ghl-bridge start', [CLI, 'start', '--config', project.configFile], { cwd: project.dir, env, ready: /^ready (\S+)$/m, timeoutMs: 120_000 });
  const url = start.line.replace(/^ready /, '');
  const workers: Child[] = [];
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${project.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`bridge ${method} ${path} → ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  const bridge: Bridge = {
    url,
    start,
    workers,
    processes: () => [start, ...workers],
    api,
    async addWorker() {
      if (!o.databaseUrl) throw new Error('`ghl-bridge worker` needs a PostgreSQL server');
      const w = await startChild(`ghl-bridge worker ${workers.length + 1}`, [CLI, 'worker', '--config', project.configFile], { cwd: project.dir, env, ready: /^ready worker.*$/m, timeoutMs: 120_000 });
      workers.push(w);
      return w;
    },
    async stop() {
      await Promise.all(workers.map((w) => w.stop()));
      await start.stop();
    },
  };
  for (let i = 0; i < (o.workers ?? 0); i++) await bridge.addWorker();
  return bridge;
}

/** The app's webhook connection and one GHL location connection per `{ id, locationId, pit }`. */
export async function addConnections(bridge: Bridge, ghl: Array<{ id: string; locationId: string; pit: string }>): Promise<void> {
  await bridge.api('POST', '/connections', { id: APP_CONNECTION, app: 'webhook', name: 'Bench app', config: { source: 'app' }, secrets: { signingSecret: SIGNING_SECRET } });
  for (const c of ghl) await bridge.api('POST', '/connections', { id: c.id, app: 'ghl-location', name: `Bench ${c.locationId}`, config: { locationId: c.locationId, auth: 'pit' }, secrets: { pit: c.pit } });
}

/** An app event: a user record with an email and a name. */
export interface AppEvent {
  type: string;
  data: { id: string; email: string; name: string };
}

export const userEvent = (type: string, key: string, i: number): AppEvent => ({ type, data: { id: `${key}-${i}`, email: `${key}-${i}@bench.example`, name: `Bench User${i}` } });

export interface Delivery {
  /** ms (wall clock) the first delivery was sent */
  startedAt: number;
  /** ms the last answer came back */
  endedAt: number;
  /** latency of each delivery in ms, in the order they were answered */
  latencies: number[];
  non2xx: number;
}

/**
 * Posts each event as a signed Standard Webhooks delivery (a fresh `webhook-id` per delivery,
 * signed just before it is sent), `concurrency` senders at once over keep-alive connections.
 */
export async function deliver(url: string, events: AppEvent[], o: { concurrency: number; idPrefix: string; path?: string }): Promise<Delivery> {
  const bodies = events.map((e) => JSON.stringify(e));
  const target = `${url}${o.path ?? `/hooks/${APP_CONNECTION}`}`;
  const latencies: number[] = [];
  let non2xx = 0;
  let firstError = '';
  let next = 0;
  const startedAt = Date.now();
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (next < bodies.length) {
        const i = next++;
        const body = bodies[i]!;
        const headers = standardWebhookHeaders(SIGNING_SECRET, { id: `${o.idPrefix}-${i}`, timestamp: Math.floor(Date.now() / 1000), body });
        const t = performance.now();
        const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
        const text = await res.text();
        latencies.push(performance.now() - t);
        if (res.status < 200 || res.status > 299) {
          non2xx++;
          firstError ||= `${res.status} ${text.slice(0, 300)}`;
        }
      }
    }),
  );
  if (non2xx > 0) process.stderr.write(`bench: ${non2xx} of ${bodies.length} deliveries to ${target} were not 2xx (first: ${firstError})\n`);
  return { startedAt, endedAt: Date.now(), latencies, non2xx };
}

interface RunSummary {
  id: number;
  status: string;
  finishedAt: string | null;
}

/** The id of the newest run so far (0 when none): the runs of a phase are the ones after it. */
export async function newestRunId(bridge: Bridge): Promise<number> {
  return (await bridge.api<{ items: RunSummary[] }>('GET', '/runs?limit=1')).items[0]?.id ?? 0;
}

export interface Drained {
  /** ms (wall clock) of the later of the last run's finish and the sandbox's last write */
  endedAt: number;
  runs: number;
  byStatus: Record<string, number>;
}

/**
 * Waits until the sandbox has answered `writes` contact writes (its request log; pass 0 when none
 * are expected) and then until the bridge holds no queued or running run (the admin API, polled
 * gently: the figure does not depend on the polling, see below). Then reads the phase's runs
 * (ids after `afterRunId`) once: the end of the phase is the latest `finishedAt` among them, or
 * the sandbox's last write if that came later.
 */
export async function waitDrained(bridge: Bridge, sandbox: Sandbox, o: { afterRunId: number; writes: number; timeoutMs?: number; pollMs?: number }): Promise<Drained> {
  const until = Date.now() + (o.timeoutMs ?? 600_000);
  const poll = o.pollMs ?? 250;
  const late = (what: string) => {
    if (Date.now() > until) throw new Error(`bench: timed out waiting for ${what}`);
  };
  const idle = async () => {
    const [queued, running] = await Promise.all(['queued', 'running'].map((s) => bridge.api<{ items: RunSummary[] }>('GET', `/runs?status=${s}&limit=1`)));
    return queued!.items.length === 0 && running!.items.length === 0;
  };
  // the sandbox first (its own process: polling it costs the bridge nothing); the queue now and
  // then meanwhile, in case runs end without writing (dead letters)
  for (let i = 1; o.writes > 0; i++) {
    const seen = (await sandbox.calls()).writes;
    if (seen >= o.writes || (i % 8 === 0 && (await idle()))) break;
    late(`${o.writes} writes at the sandbox (seen ${seen})`);
    await sleep(poll);
  }
  while (!(await idle())) {
    late('the queue to drain');
    await sleep(poll);
  }
  const byStatus: Record<string, number> = {};
  let endedAt = 0;
  let runs = 0;
  for (let cursor: string | undefined; ; ) {
    const page = await bridge.api<{ items: RunSummary[]; next?: string }>('GET', `/runs?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    const mine = page.items.filter((r) => r.id > o.afterRunId);
    for (const r of mine) {
      runs++;
      byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      if (r.finishedAt) endedAt = Math.max(endedAt, Date.parse(r.finishedAt));
    }
    if (!page.next || mine.length < page.items.length) break;
    cursor = page.next;
  }
  if (o.writes > 0) {
    const writes = (await sandbox.entries(1000)).filter((e) => ['create-contact', 'update-contact', 'upsert-contact'].includes(e.operationId ?? ''));
    for (const e of writes) endedAt = Math.max(endedAt, Date.parse(e.at));
  }
  return { endedAt, runs, byStatus };
}

export const statusText = (byStatus: Record<string, number>) =>
  Object.entries(byStatus)
    .sort()
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');

export interface Phase {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** GHL calls the sandbox answered during the phase */
  calls: CallCounts;
  byStatus: Record<string, number>;
  delivery: Delivery;
  /** utime + stime the engine processes (`start` and every `worker`) used during the phase, s */
  engineCpuSeconds: number;
  /** … and the sandbox process */
  sandboxCpuSeconds: number;
}

/**
 * One measured phase: the sandbox's log cleared, the events delivered, the queue drained.
 * events/s = events / (end of the drain − first delivery sent).
 */
export async function measurePhase(bridge: Bridge, sandbox: Sandbox, events: AppEvent[], o: { idPrefix: string; writes: number; concurrency: number }): Promise<Phase> {
  await sandbox.clearLog();
  const afterRunId = await newestRunId(bridge);
  const engineCpu = () => bridge.processes().reduce((n, p) => n + cpuSeconds(p.pid), 0);
  const [engine0, sandbox0] = [engineCpu(), cpuSeconds(sandbox.process.pid)];
  const delivery = await deliver(bridge.url, events, { concurrency: o.concurrency, idPrefix: o.idPrefix });
  const drained = await waitDrained(bridge, sandbox, { afterRunId, writes: o.writes });
  const [engineCpuSeconds, sandboxCpuSeconds] = [engineCpu() - engine0, cpuSeconds(sandbox.process.pid) - sandbox0];
  const calls = await sandbox.calls();
  const seconds = ((drained.endedAt || Date.now()) - delivery.startedAt) / 1000;
  return { events: events.length, seconds, eventsPerSecond: events.length / seconds, calls, byStatus: drained.byStatus, delivery, engineCpuSeconds, sandboxCpuSeconds };
}
