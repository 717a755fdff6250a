import { Command, Option } from 'commander';
import { startSchedules } from '../connectors/runtime/index.js';
import { openBridge } from '../server/bridge.js';
import { consoleLinks } from '../server/console/index.js';
import { createMetrics, startServer } from '../server/index.js';
import { watchRecipes } from '../server/recipe-watch.js';
import { CliError, EXIT } from './errors.js';
import { closeInOrder, intFlag, LOG_LEVELS, onShutdown, stderrLogger, unwind } from './lifecycle.js';
import { print, warn } from './output.js';
import { configOrExit } from './settings.js';

interface StartFlags {
  config?: string;
  host?: string;
  port?: number;
  logLevel?: string;
  json?: boolean;
  watchRecipes?: boolean;
}

/**
 * `ghl-bridge start`: the server, the workers and the recipe schedules in one process, on the
 * embedded database or `DATABASE_URL`. Recipe problems are listed and do not stop the others.
 * Prints the console's URL with a one-time login link, then `ready <url>` (or, with `--json`,
 * `{ "url", "adminTokenFile", "consoleUrl", "loginUrl" }`) when it serves.
 *
 * @example
 * program.addCommand(startCommand());
 */
export function startCommand(): Command {
  return new Command('start')
    .description('Start the server, the workers and the recipe schedules (embedded database, or DATABASE_URL)')
    .option('--config <file>', 'configuration file (default ghl-bridge.yaml when present)')
    .option('--host <host>', 'address to bind (default server.host)')
    .option('--port <n>', 'port (default server.port; 0 = any free port)', intFlag('port', 0, 65535))
    .addOption(new Option('--log-level <level>', 'log level (default log.level); logs go to stderr').choices(LOG_LEVELS))
    .option('--json', 'print one JSON line { url, adminTokenFile, consoleUrl, loginUrl } when ready, instead of "ready <url>"')
    .option('--watch-recipes', 'reload changed recipe files of recipes.dir: each valid one saved as the next version; a bad one keeps the running version (schedules: restart)')
    .action(async (o: StartFlags) => {
      const server: Record<string, unknown> = {};
      if (o.host !== undefined) server.host = o.host;
      if (o.port !== undefined) server.port = o.port;
      const config = configOrExit({ file: o.config, overrides: { server, ...(o.logLevel ? { log: { level: o.logLevel } } : {}) } });
      const logger = stderrLogger(config.log.level);
      const closers: Array<() => Promise<unknown> | void> = [];
      try {
        const metrics = createMetrics();
        const bridge = await openBridge(config, { logger, metrics }).catch((e: unknown) => {
          throw new CliError(EXIT.failed, `cannot open the database (${config.database.url ? 'DATABASE_URL / database.url' : config.dbDir}): ${(e as Error).message}`);
        });
        closers.push(() => bridge.close());
        // watching: the files rule, so one edited while the server was down is saved as the next version
        const load = await bridge.loadRecipes(o.watchRecipes ? 'next' : 'file');
        for (const p of load.problems) warn(`recipe not loaded: ${p}`);
        logger.info({ recipes: load.loaded.map((r) => `${r.id}@${r.version}`), schedules: load.schedules.map((s) => s.id), problems: load.problems.length }, 'recipes loaded');
        const http = await startServer(bridge, { host: config.server.host, port: config.server.port, metrics }).catch((e: unknown) => {
          throw new CliError(EXIT.failed, `cannot listen on ${config.server.host}:${config.server.port}: ${(e as Error).message}${(e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? ' (another process uses the port: stop it, or pass --port)' : ''}`);
        });
        closers.push(() => http.close());
        const worker = await bridge.engine.startWorker(config.workers);
        const stopSchedules = startSchedules(bridge.runtime, load.schedules, {
          onError: (schedule, e) => logger.warn({ schedule, err: (e as Error).message }, 'a schedule failed'),
          onReport: (report) => logger.info({ report }, 'schedule ran'),
        });
        closers.push(stopSchedules);
        bridge.startIncidentMonitor(load.schedules);
        const watcher = o.watchRecipes ? watchRecipes({ dir: config.recipes.dir, engine: bridge.engine, logger, only: config.recipes.only }) : undefined;
        if (watcher) closers.push(() => watcher.close());
        // requests in flight finish first; scheduled syncs are awaited (their rows saved); a reload in progress; then the workers and the database
        onShutdown(() => closeInOrder([() => http.close(), stopSchedules, () => watcher?.close(), () => bridge.close()]), logger);
        const adminTokenFile = config.adminToken ? null : config.adminTokenFile;
        // the console on the server's own URL unless a public one was configured; a link that lands signed in (used once, 10 minutes)
        const derived = /:0$/.test(config.server.publicUrl) || config.server.publicUrl === `http://${config.server.host}:${config.server.port}`;
        // a one-time link is minted only where it is shown: --json (a program asked) or a terminal
        const consoleUrl = `${(derived ? http.url : config.server.publicUrl).replace(/\/+$/, '')}/`;
        const links = o.json || process.stdout.isTTY ? await consoleLinks(bridge.db, consoleUrl) : { consoleUrl, loginUrl: null };
        if (o.json) process.stdout.write(`${JSON.stringify({ url: http.url, adminTokenFile, consoleUrl: links.consoleUrl, loginUrl: links.loginUrl })}\n`);
        else {
          // the summary on stderr first: a reader that sees `ready` on stdout has it already
          warn(`${load.loaded.length} recipe${load.loaded.length === 1 ? '' : 's'} loaded${load.problems.length ? `, ${load.problems.length} problem(s) above` : ''}; ${load.schedules.length} schedule(s); ${worker.concurrency} runs at once; database ${config.database.url ? 'PostgreSQL server' : config.dbDir}${watcher ? `; watching ${config.recipes.dir}` : ''}`);
          print(`Console: ${links.consoleUrl}`);
          // a sign-in link is a credential: shown to a person at a terminal, never written into a service's log
          if (links.loginUrl) print(`Sign in (one-time link, 10 min): ${links.loginUrl}`);
          else print('Sign in with the admin token, or print a one-time link: ghl-bridge console-link');
          print(`ready ${http.url}`);
        }
      } catch (e) {
        await unwind(closers);
        throw e;
      }
    });
}
