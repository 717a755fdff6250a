/**
 * The real rate limit: the sandbox process enforces 100 requests per 10 s per PIT per location
 * (HighLevel's burst limit), the bridge runs as shipped (governor on, default workers), and 200
 * new records per location arrive as signed webhooks at once, for 1 location and for 10 locations
 * (10 GHL connections, one recipe each). Everything is read from the sandbox's request log: calls
 * per location, their times, the 429s.
 *
 *   ideal      = (ceil(calls / max) - 1) x interval: the least time the limit allows for the calls made
 *   drain      = first webhook sent -> queue drained (the latest run finish or sandbox write)
 *   budget used (per location) = calls / (max x (floor(span / interval) + 1)), span = its first to its
 *                last call: the share of what the sliding window allowed over the time it was sending
 */
import { addConnections, createProject, deliver, measurePhase, newestRunId, startBridge, statusText, userEvent, waitDrained, type Bridge, type BenchRecipe } from './bridge.js';
import { REQUEST_LOG_SIZE, startSandbox, type Sandbox } from './ghl-sandbox.js';
import { throwawayDatabase } from './pg.js';
import { sleep, vmHwmMb } from './processes.js';
import { round, section, verdict, type Row } from './report.js';

const MAX = 100;
const INTERVAL_MS = 10_000;
const PER_LOCATION = Number(process.env.BENCH_RATE_EVENTS ?? 200);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 8);

interface Scenario {
  name: string;
  prefix: string;
  locations: number;
}

const SCENARIOS: Scenario[] = [
  { name: '1 location', prefix: 'solo', locations: 1 },
  { name: '10 locations', prefix: 'many', locations: 10 },
];

interface LocationFigures {
  locationId: string;
  calls: number;
  tooMany: number;
  spanMs: number;
  budgetUsed: number;
}

const idealMs = (calls: number) => Math.max(0, Math.ceil(calls / MAX) - 1) * INTERVAL_MS;

type Check = [boolean, string];

async function scenario(bridge: Bridge, sandbox: Sandbox, s: Scenario, label: string, checks: Check[]): Promise<Row[]> {
  await sandbox.clearLog();
  const key = `rl-${label.replace(/[^A-Za-z0-9]+/g, '')}-${s.prefix}`;
  const afterRunId = await newestRunId(bridge);
  // round-robin over the locations, as a mixed stream of an agency's clients would arrive
  const events = Array.from({ length: s.locations * PER_LOCATION }, (_, i) => userEvent(`user.${s.prefix}${i % s.locations}`, key, i));
  const delivery = await deliver(bridge.url, events, { concurrency: SENDERS, idPrefix: key });
  const drained = await waitDrained(bridge, sandbox, { afterRunId, writes: events.length, timeoutMs: 300_000 });
  const drainMs = drained.endedAt - delivery.startedAt;
  const entries = (await sandbox.entries()).filter((e) => e.operationId !== null);
  const counts = await sandbox.calls();
  if (counts.total > entries.length) throw new Error(`the sandbox's request log (${REQUEST_LOG_SIZE} entries) lost calls: ${counts.total} counted, ${entries.length} kept`);
  const figures: LocationFigures[] = [];
  for (let l = 0; l < s.locations; l++) {
    const locationId = `${s.prefix}${l}`;
    const mine = entries.filter((e) => e.locationId === locationId);
    const ok = mine.filter((e) => e.status < 300).map((e) => Date.parse(e.at));
    const spanMs = ok.length > 0 ? Math.max(...ok) - Math.min(...ok) : 0;
    figures.push({ locationId, calls: ok.length, tooMany: mine.filter((e) => e.status === 429).length, spanMs, budgetUsed: ok.length / (MAX * (Math.floor(spanMs / INTERVAL_MS) + 1)) });
  }
  const worst = figures.reduce((a, b) => (b.budgetUsed < a.budgetUsed ? b : a));
  const calls = Math.max(...figures.map((f) => f.calls));
  const ideal = idealMs(calls);
  const tooMany = counts.tooMany;
  const name = `${label}, ${s.name}`;
  checks.push([figures.every((f) => f.budgetUsed >= 0.97), `real limit ${MAX}/${INTERVAL_MS / 1000} s, ${name}: budget used >= 0.97 for every location (lowest ${round(worst.budgetUsed, 3)} at ${worst.locationId}: ${worst.calls} calls over ${round(worst.spanMs / 1000, 2)} s)`]);
  checks.push([tooMany === 0, `real limit, ${name}: 0 x 429 (sandbox counted ${tooMany})`]);
  checks.push([ideal > 0 && drainMs <= 1.1 * ideal, `real limit, ${name}: drain ${round(drainMs / 1000, 2)} s vs ideal ${round(ideal / 1000, 2)} s = ${round(drainMs / ideal, 3)} x (target <= 1.1 x)`]);
  return [
    {
      setup: name,
      events: events.length,
      'GHL calls': counts.total,
      '429s': tooMany,
      'deliveries s': round((delivery.endedAt - delivery.startedAt) / 1000, 2),
      'drain s': round(drainMs / 1000, 2),
      'ideal s': round(ideal / 1000, 2),
      'x ideal': round(drainMs / ideal, 3),
      'budget used min/mean': `${round(worst.budgetUsed, 3)} / ${round(figures.reduce((n, f) => n + f.budgetUsed, 0) / figures.length, 3)}`,
      runs: statusText(drained.byStatus),
      'VmHWM MB': bridge.processes().map((p) => `${p.name.replace('ghl-bridge ', '')} ${vmHwmMb(p.pid)}`).join(', '),
    },
  ];
}

async function onDatabase(sandbox: Sandbox, database: 'embedded' | 'postgres', checks: Check[]): Promise<Row[]> {
  const label = database === 'embedded' ? 'embedded' : 'PostgreSQL 2 processes';
  const connections: Array<{ id: string; locationId: string; pit: string }> = [];
  const recipes: BenchRecipe[] = [];
  for (const s of SCENARIOS) {
    for (const loc of await sandbox.seedLocations(`${s.prefix}`, s.locations)) {
      connections.push({ id: `ghl-${loc.locationId}`, ...loc });
      recipes.push({ id: `bench-${loc.locationId}`, event: `user.${loc.locationId}`, connection: `ghl-${loc.locationId}` });
    }
  }
  const project = await createProject(sandbox.info.url, recipes);
  const db = database === 'postgres' ? await throwawayDatabase() : null;
  let bridge: Bridge | undefined;
  try {
    bridge = await startBridge(project, { databaseUrl: db?.url, workers: database === 'postgres' ? 1 : 0 });
    await addConnections(bridge, connections);
    // steady state: one record per location first, so the governor has learned each location's
    // limits (a connection's first call is a probe), then a full interval for the window to empty
    const warm = connections.map((c, i) => userEvent(`user.${c.locationId}`, `rl-warm-${database}`, i));
    await measurePhase(bridge, sandbox, warm, { idPrefix: `rl-warm-${database}`, writes: warm.length, concurrency: SENDERS });
    await sleep(INTERVAL_MS + 500);
    const rows: Row[] = [];
    for (const s of SCENARIOS) rows.push(...(await scenario(bridge, sandbox, s, label, checks)));
    return rows;
  } finally {
    await bridge?.stop();
    await db?.drop().catch(() => undefined);
    project.remove();
  }
}

export async function benchRateLimits(): Promise<void> {
  const rows: Row[] = [];
  const checks: Check[] = [];
  for (const database of (process.env.BENCH_RATE_DATABASES ?? 'embedded,postgres').split(',') as Array<'embedded' | 'postgres'>) {
    // a fresh sandbox per database: fresh buckets and locations, nothing learned before
    const sandbox = await startSandbox({ rateLimit: `${MAX}/${INTERVAL_MS}` });
    try {
      rows.push(...(await onDatabase(sandbox, database, checks)));
    } finally {
      await sandbox.stop();
    }
  }
  section(`Real rate limit (sandbox: ${MAX} requests / ${INTERVAL_MS / 1000} s per location), ${PER_LOCATION} new records per location; counted by the sandbox's request log`, rows);
  for (const [pass, text] of checks) verdict(pass, text);
}
