import type { AnyConnector, ConnectorConnection } from '../types.js';
import type { ConnectionSource } from './connections.js';
import { ConnectionProblem } from './errors.js';
import type { ConnectorRegistry } from './registry.js';

export interface Resolved {
  stored: ConnectorConnection;
  connector: AnyConnector;
  conn: unknown;
}

/** A stored connection with its connector and typed settings, or a `ConnectionProblem` that says which. */
export async function resolveConnection(registry: ConnectorRegistry, connections: ConnectionSource, id: string, app?: string): Promise<Resolved> {
  const stored = await connections(id);
  if (!stored) throw new ConnectionProblem(`no connection "${id}"`, 404);
  const connector = registry.forApp(stored.app);
  if (!connector) throw new ConnectionProblem(`connection "${id}" is a ${stored.app} connection, and no connector serves that app`, 404);
  if (app && connector.app !== app) throw new ConnectionProblem(`connection "${id}" is a ${connector.app} connection, not ${app}`, 409);
  try {
    return { stored, connector, conn: connector.connection(stored) };
  } catch (e) {
    throw new ConnectionProblem(`connection "${id}" is misconfigured: ${(e as Error).message}`);
  }
}
