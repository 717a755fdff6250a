/**
 * Webhook ack latency while workers drain: 8 concurrent senders post signed deliveries (each a
 * new event, so each is verified, stored and given a run before the 200) to `ghl-bridge start`,
 * whose workers meanwhile work the runs those deliveries create against the sandbox (limits off).
 * Beside it, the same senders and the same signed requests against a bare node:http echo server
 * in its own process, measured before and after the bridge (their p99 pooled), so the shared
 * machine's load shows in both.
 */
import { addConnections, createProject, deliver, measurePhase, startBridge, userEvent, type Bridge } from './bridge.js';
import { startEcho } from './baselines.js';
import { startSandbox, type Sandbox } from './ghl-sandbox.js';
import { throwawayDatabase } from './pg.js';
import { percentile, round, section, verdict, type Row } from './report.js';

const DELIVERIES = Number(process.env.BENCH_ACK_DELIVERIES ?? 1500);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 100);
const SENDERS = 8;

const batch = (key: string, n: number) => Array.from({ length: n }, (_, i) => userEvent('user.created', key, i));

const summary = (name: string, latencies: number[], non2xx: number): Row => ({
  target: name,
  deliveries: latencies.length,
  'p50 ms': round(percentile(latencies, 50), 2),
  'p99 ms': round(percentile(latencies, 99), 2),
  'max ms': round(Math.max(...latencies), 1),
  non2xx,
});

async function onBridge(sandbox: Sandbox, database: 'embedded' | 'postgres', echoUrl: string, checks: Array<[boolean, string]>): Promise<Row[]> {
  const project = await createProject(sandbox.info.url, [{ id: 'bench-users', event: 'user.created', connection: 'ghl-main' }]);
  const db = database === 'postgres' ? await throwawayDatabase() : null;
  let bridge: Bridge | undefined;
  try {
    bridge = await startBridge(project, { databaseUrl: db?.url });
    await addConnections(bridge, [{ id: 'ghl-main', locationId: sandbox.info.locationId, pit: sandbox.info.pit }]);
    const label = database === 'embedded' ? 'embedded' : 'PostgreSQL, 1 process';
    // warm-up both (JIT, keep-alive connections, pools; the bridge's governor learns the limits), drained
    await deliver(echoUrl, batch(`ack-${database}-warm`, WARMUP), { concurrency: SENDERS, idPrefix: `ack-${database}-warm`, path: '/hooks/my-app' });
    await measurePhase(bridge, sandbox, batch(`ack-${database}-warm`, WARMUP), { concurrency: SENDERS, idPrefix: `ack-${database}-warm`, writes: WARMUP });
    const writesBefore = (await sandbox.calls()).writes;
    const before = await deliver(echoUrl, batch(`ack-${database}-e1`, DELIVERIES), { concurrency: SENDERS, idPrefix: `ack-${database}-e1`, path: '/hooks/my-app' });
    const measured = await deliver(bridge.url, batch(`ack-${database}`, DELIVERIES), { concurrency: SENDERS, idPrefix: `ack-${database}` });
    const queued = (await bridge.api<{ items: unknown[] }>('GET', '/runs?status=queued&limit=500')).items.length;
    const drainedMeanwhile = (await sandbox.calls()).writes - writesBefore;
    const after = await deliver(echoUrl, batch(`ack-${database}-e2`, DELIVERIES), { concurrency: SENDERS, idPrefix: `ack-${database}-e2`, path: '/hooks/my-app' });
    const echo = [...before.latencies, ...after.latencies];
    const p99 = percentile(measured.latencies, 99);
    const base = percentile(echo, 99);
    checks.push([p99 <= 5 * base && measured.non2xx === 0, `webhook ack p99 with workers draining, ${label}, ${SENDERS} senders: ${round(p99, 2)} ms vs echo server ${round(base, 2)} ms = ${round(p99 / base, 1)} x (target <= 5 x; ${measured.non2xx} non-2xx)`]);
    return [
      summary(`bare node:http echo server (baseline, before + after ${label})`, echo, before.non2xx + after.non2xx),
      { ...summary(`POST /hooks/my-app, ${label}, workers draining`, measured.latencies, measured.non2xx), 'GHL writes meanwhile': drainedMeanwhile, 'runs queued at the end': queued === 500 ? '>= 500' : queued },
    ];
  } finally {
    await bridge?.stop();
    await db?.drop().catch(() => undefined);
    project.remove();
  }
}

export async function benchAckLatency(): Promise<void> {
  const sandbox = await startSandbox({ rateLimit: 'off' });
  const echo = await startEcho();
  try {
    const rows: Row[] = [];
    const checks: Array<[boolean, string]> = [];
    for (const database of (process.env.BENCH_ACK_DATABASES ?? 'embedded,postgres').split(',') as Array<'embedded' | 'postgres'>) rows.push(...(await onBridge(sandbox, database, echo.url, checks)));
    section(`Webhook ack latency, ${SENDERS} concurrent senders, ${DELIVERIES} signed deliveries each (new events), workers draining the runs they create`, rows);
    for (const [pass, text] of checks) verdict(pass, text);
  } finally {
    await echo.process.stop();
    await sandbox.stop();
  }
}
