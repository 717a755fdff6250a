import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI, so benchmarks measure the sandbox as users run it. */
export const CLI = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url));

/** Starts `node …args` and reads the one JSON line it prints first (e.g. `sandbox --json`). */
export async function startProcess<T>(args: string[]): Promise<{ info: T; stop: () => void }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
  return { info: JSON.parse(line) as T, stop: () => child.kill('SIGTERM') };
}
