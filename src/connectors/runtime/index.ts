/**
 * The connector runtime: turns connectors' triggers into engine events (webhook ingress with
 * recorded refusals, polls with durable cursors, full syncs) and lends the engine their actions.
 *
 * @example
 * const registry = connectorRegistry([recruitee, connecteam]);
 * const connections = staticConnections([...]);
 * const engine = await createEngine({ db, ghl, apps: connectorActions({ registry, connections }) });
 * const runtime = createConnectorRuntime({ engine, registry, connections });
 * const hooks = await runtime.listen({ port: 0 });            // POST {hooks.url}/hooks/{connectionId}
 * await runtime.poll('recruitee-main', 'recruitee.candidates.changed');
 */
import type { EngineLog } from '../../engine/index.js';
import { listRejections, listReplays, type Engine } from '../../engine/index.js';
import type { Headers } from '../webhooks/index.js';
import type { ConnectionSource } from './connections.js';
import { fullSync, syncSummary, type FullSyncOptions } from './full-sync.js';
import { receiveWebhook } from './ingress.js';
import { pollTrigger } from './poll.js';
import type { ConnectorRegistry } from './registry.js';
import { listenForHooks, type HooksServerOptions } from './server.js';

export { connectorActions } from './actions.js';
export { repositoryConnections, staticConnections, type ConnectionSource } from './connections.js';
export { ConnectionProblem } from './errors.js';
export { fullSync, syncSummary, type FullSyncOptions, type SyncSummary } from './full-sync.js';
export { receiveWebhook, type WebhookAnswer } from './ingress.js';
export { pollTrigger, type PollReport } from './poll.js';
export { connectorRegistry, type ConnectorRegistry } from './registry.js';
export { listenForHooks, type HooksServerOptions } from './server.js';
export { startPolling, type PollSchedule } from './scheduler.js';
export { loadSchedule, parseSchedule, runSchedule, scheduleSchema, startSchedules, type Schedule, type ScheduleReport } from './schedules.js';

export interface ConnectorRuntimeOptions {
  engine: Engine;
  registry: ConnectorRegistry;
  connections: ConnectionSource;
  /** the engine's log: the ingress says there when it drops our own echo */
  log?: EngineLog;
}

export function createConnectorRuntime(options: ConnectorRuntimeOptions) {
  const deps = { engine: options.engine, registry: options.registry, connections: options.connections, log: options.log };
  return {
    engine: options.engine,
    receiveWebhook: (connectionId: string, delivery: { rawBody: Buffer; headers: Headers; now?: number }) => receiveWebhook(deps, connectionId, delivery),
    poll: (connectionId: string, triggerId: string, o?: { signal?: AbortSignal; maxPages?: number }) => pollTrigger(deps, connectionId, triggerId, o),
    fullSync: (o: FullSyncOptions) => fullSync(deps, o),
    syncSummary: (syncId: number) => syncSummary(options.engine, syncId),
    listen: (o?: HooksServerOptions) => listenForHooks(deps, o),
    /** Deliveries refused (401/400/…), newest first. */
    rejections: (filter?: { connectionId?: string; limit?: number }) => listRejections(options.engine.db, filter),
    /** Deliveries that brought nothing new (retries, replays), newest first. */
    replays: (filter?: { connectionId?: string; limit?: number }) => listReplays(options.engine.db, filter),
  };
}

export type ConnectorRuntime = ReturnType<typeof createConnectorRuntime>;
