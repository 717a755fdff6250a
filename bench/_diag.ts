import { addConnections, createProject, deliver, newestRunId, startBridge, userEvent, waitDrained } from './bridge.js';
import { startSandbox } from './ghl-sandbox.js';
import { throwawayDatabase } from './pg.js';
import { cpuSeconds } from './processes.js';
const sandbox = await startSandbox({ rateLimit: 'off' });
const project = await createProject(sandbox.info.url, [{ id: 'bench-users', event: 'user.created', connection: 'ghl-main' }]);
const pg = process.env.PG ? await throwawayDatabase() : null;
const bridge = await startBridge(project, { databaseUrl: pg?.url });
await addConnections(bridge, [{ id: 'ghl-main', locationId: sandbox.info.locationId, pit: sandbox.info.pit }]);
const N = Number(process.env.N ?? 300);
for (const key of ['w', 'a', 'b']) {
  await sandbox.clearLog();
  const after = await newestRunId(bridge);
  const cpu0 = cpuSeconds(bridge.start.pid), scpu0 = cpuSeconds(sandbox.process.pid);
  const evs = Array.from({ length: N }, (_, i) => userEvent('user.created', key, i));
  const d = await deliver(bridge.url, evs, { concurrency: 8, idPrefix: key });
  const t1 = Date.now();
  const dr = await waitDrained(bridge, sandbox, { afterRunId: after, writes: N });
  const lat = d.latencies.sort((a, b) => a - b);
  console.log(key, 'deliver', d.endedAt - d.startedAt, 'ms; drained at', dr.endedAt - d.startedAt, 'ms; seen', Date.now() - t1, 'after deliver; p50', lat[lat.length>>1]?.toFixed(1), 'p99', lat[Math.floor(lat.length*0.99)]?.toFixed(1), 'cpu bridge', (cpuSeconds(bridge.start.pid) - cpu0).toFixed(2), 'cpu sandbox', (cpuSeconds(sandbox.process.pid) - scpu0).toFixed(2), dr.byStatus);
}
await bridge.stop(); await pg?.drop(); await sandbox.stop(); project.remove();
