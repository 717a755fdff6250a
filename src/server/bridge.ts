import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { BridgeConfig } from '../config/index.js';
import { ensureAdminToken } from '../config/init.js';
import { ALL_CONNECTORS, connectorActions, connectorRegistry, createConnectorRuntime, loadSchedule, repositoryConnections, type AnyConnector, type ConnectionSource, type Schedule } from '../connectors/index.js';
import { createConnectionRepository, createEngine, ghlTargets, loadKeyring, openDatabase, type ConnectionRepository, type Engine, type EngineLog } from '../engine/index.js';
import { startIncidentMonitor, type IncidentMonitor, type WatchedPoll } from '../engine/incidents/index.js';
import { createMetrics, type ServerMetrics } from './metrics/index.js';
import type { SaveMode } from '../engine/index.js';
import { behindProblem, saveRecipeFile } from './recipe-file-save.js';

export interface RecipeLoad {
  loaded: Array<{ id: string; version: number; file: string }>;
  schedules: Schedule[];
  problems: string[];
}

export interface OpenBridgeOptions {
  logger: Logger;
  /** default every shipped connector */
  connectors?: readonly AnyConnector[];
  /** Counts what the engine and its GHL clients do (default: a registry of the bridge's own, `bridge.metrics`). */
  metrics?: ServerMetrics;
}

/**
 * The composition root: the database (embedded or server), the keyring, the encrypted
 * connections, the engine with GHL targets and app actions, the connector runtime. The HTTP
 * server, the CLI and the demo all start from here.
 *
 * @example
 * const bridge = await openBridge(config, { logger });
 * await bridge.loadRecipes();
 * await bridge.engine.startWorker({ concurrency: config.workers.concurrency });
 */
export async function openBridge(config: BridgeConfig, options: OpenBridgeOptions) {
  const db = await openDatabase({ url: config.database.url, dataDir: config.dbDir });
  try {
    const { keyring, source } = await loadKeyring({ keyFile: config.keyFile });
    options.logger.info({ keySource: source }, 'secret key loaded');
    // the operator asked for a protected scrape and the variable is empty: say so rather than serve it open silently
    if (config.metrics.tokenEnv && !config.metricsToken) options.logger.warn({ tokenEnv: config.metrics.tokenEnv }, 'metrics.tokenEnv names an unset variable: /metrics is open');
    const connections: ConnectionRepository = createConnectionRepository({ db, keyring });
    const metrics = options.metrics ?? createMetrics();
    const connectionSource: ConnectionSource = repositoryConnections(connections);
    const registry = connectorRegistry(options.connectors ?? ALL_CONNECTORS);
    const oauth = config.ghl.oauth && config.ghlClientSecret ? { clientId: config.ghl.oauth.clientId, clientSecret: config.ghlClientSecret } : undefined;
    const ghl = ghlTargets({ db, connections, keyring, baseUrl: config.ghl.baseUrl, oauth, observer: metrics.ghlObserver });
    const apps = connectorActions({ registry, connections: connectionSource });
    const log = engineLog(options.logger);
    const engine: Engine = await createEngine({ db, ghl, apps, metrics: metrics.engine, rejections: config.server.rejections, log });
    const runtime = createConnectorRuntime({ engine, registry, connections: connectionSource, log });
    const adminToken = config.adminToken ?? (await ensureAdminToken(config.adminTokenFile)).token;
    let monitor: IncidentMonitor | undefined;
    return {
      config,
      logger: options.logger,
      db,
      keyring,
      connections,
      connectionSource,
      registry,
      /** the connectors' actions, as the engine runs them */
      apps,
      ghl,
      engine,
      /** what `/metrics` shows (the server's HTTP counters join it) */
      metrics,
      runtime,
      adminToken,
      /** Reads every recipe and schedule of the recipes folder and saves the recipes (versioned; `mode` as in `loadRecipesDir`); problems are listed, not thrown. */
      loadRecipes: (mode: SaveMode = 'file') => loadRecipesDir(engine, config.recipes.dir, config.recipes.only, mode),
      /**
       * Starts the incident monitor of this process (once; stopped by `close`). `schedules` are the
       * loaded ones: their polls are those whose interval is known (the triggerStalled rule).
       */
      startIncidentMonitor(schedules: readonly Schedule[] = []): IncidentMonitor {
        const polls: WatchedPoll[] = schedules.flatMap((s) => (s.kind === 'poll' ? [{ connectionId: s.connection, triggerId: s.trigger, schedule: s.schedule }] : []));
        monitor ??= startIncidentMonitor({ db, alerts: config.alerts, budget: ghl.budget, log: options.logger, polls });
        return monitor;
      },
      async close() {
        // the monitor's check in flight ends before the database closes under it
        await monitor?.stop();
        await engine.close();
      },
    };
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}

export type Bridge = Awaited<ReturnType<typeof openBridge>>;

/**
 * The engine's `log` on pino: fields first (pino's object + message), so a dead letter's run id,
 * recipe and error code are searchable keys, and the logger's redaction applies to them too.
 */
export function engineLog(logger: Logger): EngineLog {
  return (level, message, fields) => logger[level](fields ?? {}, message);
}

/**
 * Every `*.yaml`/`*.json` recipe of a folder saved into the engine, and every `*.schedule.yaml`
 * read. `mode` `file` (the default): a file not newer than the stored version, with other content,
 * is a problem and the stored version stays; `next` (`start --watch-recipes`): it is saved as the
 * next version, as `recipes save` does.
 */
export async function loadRecipesDir(engine: Pick<Engine, 'saveRecipeVersion'>, dir: string, only?: string[], mode: SaveMode = 'file'): Promise<RecipeLoad> {
  const result: RecipeLoad = { loaded: [], schedules: [], problems: [] };
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  } catch (e) {
    result.problems.push(`${dir}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (e as Error).message}`);
    return result;
  }
  for (const f of files) {
    const file = join(dir, f);
    if (f.includes('.schedule.')) {
      try {
        result.schedules.push(loadSchedule(file));
      } catch (e) {
        result.problems.push((e as Error).message);
      }
      continue;
    }
    try {
      const r = await saveRecipeFile(engine, file, mode, only);
      if (r.kind === 'invalid') result.problems.push(...r.problems);
      else if (r.kind === 'saved' && r.outcome.outcome === 'behind') result.problems.push(behindProblem(file, r.outcome));
      else if (r.kind === 'saved') result.loaded.push({ id: r.outcome.id, version: r.outcome.version, file });
    } catch (e) {
      result.problems.push(`${file}: ${(e as Error).message}`);
    }
  }
  return result;
}
