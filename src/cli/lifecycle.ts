/**
 * What long-running commands (`start`, `worker`, `demo`) share: logs as JSON lines on stderr (so
 * stdout holds only what scripts read: the `ready` line), integer flags, and a graceful stop on
 * SIGINT/SIGTERM that exits 0 once everything is closed in order (a second signal exits at once).
 */
import { InvalidArgumentError } from 'commander';
import pino from 'pino';
import { createLogger, type Logger } from '../server/logger.js';
import { warn } from './output.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/**
 * @example
 * const logger = stderrLogger(config.log.level);
 */
export function stderrLogger(level: string): Logger {
  return createLogger({ level, destination: pino.destination({ dest: 2, sync: true }) });
}

/** A commander parser for an integer flag within bounds. */
export function intFlag(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}

/**
 * Runs `stop` on the first SIGINT or SIGTERM, then exits 0 (1 when stopping failed).
 *
 * @example
 * onShutdown(async () => { await server.close(); await bridge.close(); });
 */
export function onShutdown(stop: () => Promise<void>, logger?: Logger): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    logger?.info({ signal }, 'stopping');
    stop().then(
      () => process.exit(0),
      (e: unknown) => {
        warn(`ghl-bridge: stopping failed: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** Closes what was opened so far when a start fails half-way, newest first, ignoring their errors. */
export async function unwind(closers: Array<() => Promise<unknown> | void>): Promise<void> {
  for (const close of closers.reverse()) {
    try {
      await close();
    } catch {
      // the start's own error is the one to report
    }
  }
}

/**
 * A graceful stop in the order given (e.g. server → schedules → workers → database): every step
 * runs even when one before failed, and the first failure is thrown at the end.
 *
 * @example
 * onShutdown(() => closeInOrder([() => http.close(), stopSchedules, () => bridge.close()]), logger);
 */
export async function closeInOrder(steps: Array<() => Promise<unknown> | void>): Promise<void> {
  let failure: unknown;
  for (const step of steps) {
    try {
      await step();
    } catch (e) {
      failure ??= e;
    }
  }
  if (failure !== undefined) throw failure;
}
