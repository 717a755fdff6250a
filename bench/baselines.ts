/**
 * The baselines each figure sits beside, measured in the same run, each in its own process: the
 * plain SDK script (throughput), a bare node:http echo server (latency), a bare node process
 * (memory).
 */
import { fileURLToPath } from 'node:url';
import type { Sandbox } from './ghl-sandbox.js';
import { runChild, sleep, startChild, TSX, vmHwmMb, type Child } from './processes.js';

const SDK_SCRIPT = fileURLToPath(new URL('./sdk-script.ts', import.meta.url));

export interface SdkResult {
  records: number;
  seconds: number;
  eventsPerSecond: number;
  /** GHL calls the sandbox answered for the timed records (warm-up excluded) */
  calls: number;
  created: number;
  updated: number;
  /** the script's own CPU time over the timed records, s */
  cpuSeconds: number;
}

/** The SDK script against `sandbox` (limits off): `records` new records, 4 at once, after a warm-up. */
export async function runSdkScript(sandbox: Sandbox, o: { records: number; warmup: number; key: string; concurrency?: number }): Promise<SdkResult> {
  const args = { url: sandbox.info.url, pit: sandbox.info.pit, locationId: sandbox.info.locationId, records: o.records, warmup: o.warmup, concurrency: o.concurrency ?? 4, key: o.key };
  await sandbox.clearLog();
  const out = JSON.parse(await runChild('sdk script', [...TSX, SDK_SCRIPT, JSON.stringify(args)])) as { records: number; seconds: number; created: number; updated: number; cpuSeconds: number };
  const calls = (await sandbox.calls()).total;
  // the warm-up's calls are in the log too: 2 per new record (search, create)
  return { ...out, eventsPerSecond: out.records / out.seconds, calls: calls - 2 * o.warmup };
}

/** A bare node:http server answering 200 with a small JSON body, printing `{ "url" }`. */
const ECHO = `
const server = require('node:http').createServer((req, res) => {
  let n = 0;
  req.on('data', (c) => (n += c.length));
  req.on('end', () => {
    const body = JSON.stringify({ ok: true, bytes: n });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 10000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port })));
process.on('SIGTERM', () => process.exit(0));`;

export async function startEcho(): Promise<{ url: string; process: Child }> {
  const child = await startChild('echo server', ['-e', ECHO]);
  return { url: (JSON.parse(child.line) as { url: string }).url, process: child };
}

/** VmHWM of a bare `node` process that only waits (what any Node.js program costs). */
export async function bareNodeHwmMb(): Promise<number> {
  const child = await startChild('bare node', ['-e', "console.log('ready'); setInterval(() => {}, 1 << 30); process.on('SIGTERM', () => process.exit(0));"]);
  await sleep(1000);
  const mb = vmHwmMb(child.pid);
  await child.stop();
  return mb;
}
