/**
 * Resident memory of `ghl-bridge start` on the embedded database (a fresh data dir), as VmHWM
 * (the peak resident set) from /proc/<pid>/status: idle after the first start (migrations run,
 * connections added, nothing to do), and after a 5,000-event backlog was taken in and worked off.
 * The backlog is made real by a latency fault at the sandbox (2 s on /contacts/**) while the
 * deliveries arrive, so the runs pile up in the queue; the fault is then removed and the workers
 * drain the queue (for at most BENCH_MEMORY_DRAIN_S seconds, default: to the end). Beside it, a
 * bare node process's VmHWM.
 */
import { addConnections, createProject, deliver, measurePhase, newestRunId, startBridge, userEvent, waitDrained, type Bridge } from './bridge.js';
import { bareNodeHwmMb } from './baselines.js';
import { startSandbox } from './ghl-sandbox.js';
import { sleep, vmHwmMb, vmRssMb } from './processes.js';
import { ratio, round, section, verdict } from './report.js';

const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 5000);
const DRAIN_S = Number(process.env.BENCH_MEMORY_DRAIN_S ?? 0);
const SENDERS = Number(process.env.BENCH_SENDERS ?? 8);

async function countQueued(bridge: Bridge): Promise<number> {
  let n = 0;
  for (let cursor: string | undefined; ; ) {
    const page = await bridge.api<{ items: unknown[]; next?: string }>('GET', `/runs?status=queued&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    n += page.items.length;
    if (!page.next) return n;
    cursor = page.next;
  }
}

export async function benchMemory(): Promise<void> {
  const bare = await bareNodeHwmMb();
  const sandbox = await startSandbox({ rateLimit: 'off' });
  const project = await createProject(sandbox.info.url, [{ id: 'bench-users', event: 'user.created', connection: 'ghl-main' }]);
  let bridge: Bridge | undefined;
  try {
    bridge = await startBridge(project);
    await addConnections(bridge, [{ id: 'ghl-main', locationId: sandbox.info.locationId, pit: sandbox.info.pit }]);
    await sleep(3000);
    const idle = vmHwmMb(bridge.start.pid);
    const idleRss = vmRssMb(bridge.start.pid);

    const fault = await sandbox.admin<{ fault: { id: string } }>('POST', '/_sandbox/faults', { path: '/contacts/**', kind: 'latency', latencyMs: 2000 });
    const afterRunId = await newestRunId(bridge);
    const events = Array.from({ length: BACKLOG }, (_, i) => userEvent('user.created', 'mem', i));
    const delivery = await deliver(bridge.url, events, { concurrency: SENDERS, idPrefix: 'mem' });
    const queued = await countQueued(bridge);
    const withBacklog = vmHwmMb(bridge.start.pid);
    await sandbox.admin('DELETE', `/_sandbox/faults/${fault.fault.id}`);
    const drainStarted = Date.now();
    let drained = 'to the end';
    if (DRAIN_S > 0) {
      await sleep(DRAIN_S * 1000);
      drained = `for ${DRAIN_S} s (${await countQueued(bridge)} still queued)`;
    } else {
      const d = await waitDrained(bridge, sandbox, { afterRunId, writes: 0, pollMs: 1000 });
      drained = `to the end in ${round((d.endedAt - drainStarted) / 1000, 1)} s (${Object.entries(d.byStatus).map(([s, n]) => `${n} ${s}`).join(', ')})`;
    }
    const afterDrain = vmHwmMb(bridge.start.pid);
    const afterDrainRss = vmRssMb(bridge.start.pid);
    // for comparison: the same data dir started again (no first-start set-up), idle, then one event
    await bridge.stop();
    bridge = await startBridge(project);
    await measurePhase(bridge, sandbox, [userEvent('user.created', 'mem-again', 0)], { idPrefix: 'mem-again', writes: 1, concurrency: 1 });
    await sleep(3000);
    const restarted = vmHwmMb(bridge.start.pid);

    section(`Resident memory, embedded database (VmHWM from /proc/<pid>/status of the \`start\` process; bare node process ${bare} MB)`, [
      { state: 'bare node process (baseline)', 'VmHWM MB': bare, 'x bare node': 1 },
      { state: 'idle after the first start (fresh data dir, connections added)', 'VmHWM MB': idle, 'x bare node': round(ratio(idle, bare), 1), 'VmRSS MB': idleRss },
      { state: `${BACKLOG} deliveries taken in, ${queued} runs queued (deliveries took ${round((delivery.endedAt - delivery.startedAt) / 1000, 1)} s)`, 'VmHWM MB': withBacklog, 'x bare node': round(ratio(withBacklog, bare), 1) },
      { state: `backlog drained ${drained}`, 'VmHWM MB': afterDrain, 'x bare node': round(ratio(afterDrain, bare), 1), 'VmRSS MB': afterDrainRss },
      { state: 'for comparison: started again on the same data dir, one event, idle', 'VmHWM MB': restarted, 'x bare node': round(ratio(restarted, bare), 1) },
    ]);
    verdict(idle < 250, `resident memory, embedded, idle after first start: VmHWM ${idle} MB (bare node ${bare} MB, ${round(ratio(idle, bare), 1)} x; target < 250 MB)`);
    const peak = Math.max(withBacklog, afterDrain);
    verdict(peak < 400, `resident memory, embedded, with a ${BACKLOG}-event backlog: VmHWM ${peak} MB (bare node ${bare} MB, ${round(ratio(peak, bare), 1)} x; target < 400 MB)`);
  } finally {
    await bridge?.stop();
    await sandbox.stop();
    project.remove();
  }
}
