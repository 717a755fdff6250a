import { Command, Option } from 'commander';
import { openBridge } from '../server/bridge.js';
import { CliError, EXIT } from './errors.js';
import { intFlag, LOG_LEVELS, onShutdown, stderrLogger } from './lifecycle.js';
import { print } from './output.js';
import { configOrExit } from './settings.js';

/**
 * `ghl-bridge worker`: workers only, for scale-out beside `ghl-bridge start` on a PostgreSQL
 * server. Refused on the embedded database: PGlite belongs to one process, `start` runs its workers.
 *
 * @example
 * // DATABASE_URL=postgres://… ghl-bridge worker --concurrency 8
 * program.addCommand(workerCommand());
 */
export function workerCommand(): Command {
  return new Command('worker')
    .description('Run workers only (scale-out on a PostgreSQL server: DATABASE_URL or database.url)')
    .option('--config <file>', 'configuration file (default ghl-bridge.yaml when present)')
    .option('--concurrency <n>', 'runs at once (default workers.concurrency)', intFlag('concurrency', 1, 256))
    .addOption(new Option('--log-level <level>', 'log level (default log.level); logs go to stderr').choices(LOG_LEVELS))
    .option('--json', 'print one JSON line { worker: "ready", concurrency } when ready')
    .action(async (o: { config?: string; concurrency?: number; logLevel?: string; json?: boolean }) => {
      const config = configOrExit({ file: o.config, overrides: o.logLevel ? { log: { level: o.logLevel } } : {} });
      if (!config.database.url) {
        throw new CliError(
          EXIT.usage,
          `\`ghl-bridge worker\` needs a PostgreSQL server: the embedded database (${config.dbDir}) belongs to one process, and \`ghl-bridge start\` already runs its workers. To scale out, set DATABASE_URL (or database.url) for every process, e.g. after \`ghl-bridge db export\` / \`db import\`.`,
        );
      }
      const logger = stderrLogger(config.log.level);
      const bridge = await openBridge(config, { logger }).catch((e: unknown) => {
        throw new CliError(EXIT.failed, `cannot open the database (DATABASE_URL / database.url): ${(e as Error).message}`);
      });
      let concurrency: number;
      try {
        ({ concurrency } = await bridge.engine.startWorker({ ...config.workers, ...(o.concurrency ? { concurrency: o.concurrency } : {}) }));
      } catch (e) {
        await bridge.close().catch(() => undefined);
        throw e;
      }
      onShutdown(() => bridge.close(), logger);
      if (o.json) process.stdout.write(`${JSON.stringify({ worker: 'ready', concurrency })}\n`);
      else print(`ready worker (${concurrency} at once)`);
    });
}
