/**
 * The real `ghl-bridge` CLI as child processes (node + tsx on src/cli/index.ts), each in a temp
 * working directory so no `ghl-bridge.yaml` or `./data` of the repo is picked up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { standardWebhookHeaders } from '../../../src/connectors/webhook/index.js';

export const ROOT = resolve(import.meta.dirname, '../../..');
const CLI = ['--import', import.meta.resolve('tsx'), join(ROOT, 'src/cli/index.ts')];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Env for children: no admin token, URL or database of the outer environment leaks in. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const k of ['GHL_BRIDGE_ADMIN_TOKEN', 'GHL_BRIDGE_URL', 'DATABASE_URL', 'GHL_BRIDGE_SECRET_KEY', 'GHL_CLIENT_SECRET']) delete env[k];
  return { ...env, ...extra };
}

/** Runs one command to its end (asynchronously: the test process serves the sandbox meanwhile). */
export function runCli(args: string[], o: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: o.cwd, env: childEnv(o.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

/** `runCli` that parses stdout as JSON and fails with the output when the exit code is not 0. */
export async function cliJson<T>(args: string[], o: { cwd: string; env?: Record<string, string> }): Promise<T> {
  const r = await runCli([...args, '--json'], o);
  if (r.code !== 0) throw new Error(`ghl-bridge ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout) as T;
}

export interface LongRunning {
  child: ChildProcess;
  /** the first stdout line that matched */
  line: string;
  stdout(): string;
  stderr(): string;
  /** waits for a line of stderr matching */
  waitForStderr(pattern: RegExp): Promise<string>;
  /** sends the signal and resolves with the exit code */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

const running: ChildProcess[] = [];

/** Starts a long-running command and waits for a stdout line matching `ready` (default `ready …`). */
export function startCli(args: string[], o: { cwd: string; env?: Record<string, string>; ready?: RegExp; timeoutMs?: number }): Promise<LongRunning> {
  const ready = o.ready ?? /^ready \S+/m;
  const child = spawn(process.execPath, [...CLI, ...args], { cwd: o.cwd, env: childEnv(o.env), stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const waitFor = (stream: () => string, emitter: NodeJS.ReadableStream, pattern: RegExp, timeoutMs: number) =>
    new Promise<string>((resolveLine, reject) => {
      const check = () => {
        const m = pattern.exec(stream());
        if (m) {
          cleanup();
          resolveLine(m[0]);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${pattern} within ${timeoutMs} ms; stdout: ${out.slice(-2000)} stderr: ${err.slice(-3000)}`));
      }, timeoutMs);
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`exited ${code} before ${pattern}; stdout: ${out.slice(-2000)} stderr: ${err.slice(-3000)}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        emitter.off('data', check);
        child.off('exit', onExit);
      };
      emitter.on('data', check);
      child.once('exit', onExit);
      check();
    });
  return waitFor(() => out, child.stdout!, ready, o.timeoutMs ?? 60_000).then((line) => ({
    child,
    line,
    stdout: () => out,
    stderr: () => err,
    waitForStderr: (pattern: RegExp) => waitFor(() => err, child.stderr!, pattern, 60_000),
    exited,
    stop(signal: NodeJS.Signals = 'SIGINT') {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      return exited;
    },
  }));
}

/** Kills whatever a failed test left running (by its own child process handle). */
export function killLeftovers(): void {
  for (const c of running.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** Rewrites the config `init` wrote (a line-based edit of the commented template). */
export function editConfig(file: string, edits: Array<[RegExp, string]>): void {
  let text = readFileSync(file, 'utf8');
  for (const [pattern, replacement] of edits) {
    if (!pattern.test(text)) throw new Error(`config: ${pattern} not found`);
    text = text.replace(pattern, replacement);
  }
  writeFileSync(file, text);
}

/** Posts a Standard Webhooks delivery signed with `secret` to `<url>/hooks/<connection>`. */
export async function sendSignedWebhook(url: string, connection: string, secret: string, id: string, body: unknown): Promise<number> {
  const raw = JSON.stringify(body);
  const headers = standardWebhookHeaders(secret, { id, timestamp: Math.floor(Date.now() / 1000), body: raw });
  const res = await fetch(`${url}/hooks/${connection}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
  await res.text();
  return res.status;
}

/** Polls until `check` answers a value (not undefined), or fails after `timeoutMs` with the last value. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 45_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Admin API call from the test (polling is cheaper here than one CLI process per look). */
export async function admin<T>(url: string, token: string, path: string): Promise<T> {
  const res = await fetch(`${url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A loopback proxy with a gate the test opens: a listing held mid-way for exactly as long as a test needs. */
export { gateProxy, type GateProxy } from '../server/gate-proxy.js';
