import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** The embedded database is open in another process (PGlite is one process). */
export class DatabaseLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`the embedded database in ${dir} is open in another process (pid ${pid}): stop it first, or use a PostgreSQL server (DATABASE_URL) for several processes`);
    this.name = 'DatabaseLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the embedded data directory for this process: a lock file created exclusively with our
 * pid. A lock left by a process that no longer runs (a crash, a SIGKILL) is taken over. Answers
 * the release function.
 *
 * @example
 * const release = lockDataDir('./data/db');
 * try { … } finally { release(); }
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, '.ghl-bridge.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: number;
      try {
        holder = Number(readFileSync(file, 'utf8').trim());
      } catch {
        continue; // removed meanwhile: try again
      }
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) throw new DatabaseLockedError(dir, holder);
      // a stale lock (its process is gone), or our own from an earlier open that was not closed
      try {
        unlinkSync(file);
      } catch {
        // another process took it over first; the next attempt finds out
      }
    }
  }
  throw new Error(`could not lock ${dir}`);
}
