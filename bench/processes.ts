/**
 * Child processes of the benchmarks, and what /proc says about them. Every figure is taken from
 * outside: the measured programs run as their own processes (the built CLI, the SDK script, the
 * echo server), this process only sends load and reads /proc/<pid>/{status,stat}.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI (`npm run bench` builds first), as users run it. */
export const CLI = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url));
/** `node --import tsx <file>` for the bench's own TypeScript programs (the SDK script). */
export const TSX = ['--import', import.meta.resolve('tsx')];

export interface Child {
  name: string;
  pid: number;
  child: ChildProcess;
  /** the stdout line that said it is ready */
  line: string;
  stderrTail(): string;
  /** SIGTERM (or `signal`), then SIGKILL after `graceMs`; resolves with the exit code */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
  exited: Promise<number | null>;
}

const live = new Set<ChildProcess>();
/** Kills what is still running (by our own handles) when the bench exits or is interrupted. */
function killLive(): void {
  for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
process.once('exit', killLive);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killLive();
    process.exit(130);
  });
}

/** Environment for children: nothing of the outer shell's bridge settings leaks in. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const k of ['GHL_BRIDGE_ADMIN_TOKEN', 'GHL_BRIDGE_URL', 'DATABASE_URL', 'GHL_BRIDGE_SECRET_KEY', 'GHL_CLIENT_SECRET', 'NODE_OPTIONS']) delete env[k];
  return { ...env, ...extra };
}

/**
 * Starts `node …args` and waits for a stdout line matching `ready` (default: any first line).
 *
 * @example
 * const sb = await startChild('sandbox', [CLI, 'sandbox', '--port', '0', '--json']);
 */
export function startChild(name: string, args: string[], o: { cwd?: string; env?: Record<string, string>; ready?: RegExp; timeoutMs?: number } = {}): Promise<Child> {
  const ready = o.ready ?? /^.+$/m;
  // BENCH_CPU_PROF=<dir>: a V8 CPU profile of every long-running child, written when it exits
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, ...args], { cwd: o.cwd, env: childEnv(o.env), stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => (live.delete(child), r(code))));
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-6000)));
  return new Promise<Child>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${name}: not ready within ${o.timeoutMs ?? 60_000} ms; stderr: ${err.slice(-2000)}`)), o.timeoutMs ?? 60_000);
    const onExit = (code: number | null) => fail(new Error(`${name} exited ${code} before it was ready; stdout: ${out.slice(-1000)} stderr: ${err.slice(-3000)}`));
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.kill('SIGKILL');
      reject(e);
    };
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stdout!.off('data', onData);
      child.stdout!.resume(); // later output is not read
      resolve({
        name,
        pid: child.pid!,
        child,
        line: m[0],
        stderrTail: () => err,
        exited,
        stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000) {
          if (child.exitCode !== null || child.signalCode !== null) return exited;
          child.kill(signal);
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          return exited.finally(() => clearTimeout(timer));
        },
      });
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Runs `node …args` to its end and returns its stdout (throws with stderr when the exit code is not 0). */
export function runChild(name: string, args: string[], o: { cwd?: string; env?: Record<string, string> } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: o.cwd, env: childEnv(o.env), stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-6000)));
    child.once('error', reject);
    child.once('close', (code) => {
      live.delete(child);
      if (code === 0) resolve(out);
      else reject(new Error(`${name} exited ${code}: ${err.slice(-3000)}${out.slice(-1000)}`));
    });
  });
}

function statusMb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Math.round((Number(m[1]) / 1024) * 10) / 10;
}

/** Peak resident set (VmHWM) of a process so far, in MB, from /proc/<pid>/status. */
export const vmHwmMb = (pid: number) => statusMb(pid, 'VmHWM');
/** Resident set (VmRSS) of a process now, in MB. */
export const vmRssMb = (pid: number) => statusMb(pid, 'VmRSS');

let clockTicks: number | undefined;
/** CPU time (utime + stime) a process has used so far, in seconds, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the command name may hold spaces and parentheses: the fields start after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
