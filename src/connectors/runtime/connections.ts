import type { ConnectionRepository } from '../../engine/index.js';
import type { ConnectorConnection } from '../types.js';

/** Finds a connection by id, secrets opened (null when there is none). */
export type ConnectionSource = (id: string) => Promise<ConnectorConnection | null>;

/**
 * Connections held in memory (tests, the demo).
 *
 * @example
 * const connections = staticConnections([{ id: 'recruitee-main', app: 'recruitee', source: 'recruitee', config: { companyId: 1 }, secrets: { token } }]);
 */
export function staticConnections(list: ConnectorConnection[]): ConnectionSource {
  const byId = new Map(list.map((c) => [c.id, c]));
  return async (id) => byId.get(id) ?? null;
}

/** Event sources by stored app where they differ from the app id: GHL's events are `ghl` (the recipes' trigger source). */
const DEFAULT_SOURCES: Record<string, string> = { 'ghl-location': 'ghl' };

/**
 * The event source of a stored connection: `config.source` when set, else the app's.
 *
 * @example
 * sourceOfConnection({ app: 'webhook', config: { source: 'app' } }); // 'app'
 * sourceOfConnection({ app: 'ghl-location', config: {} }); // 'ghl'
 */
export function sourceOfConnection(c: { app: string; config: Record<string, unknown> }): string {
  const named = c.config.source;
  return typeof named === 'string' && named !== '' ? named : DEFAULT_SOURCES[c.app] ?? c.app;
}

/**
 * Connections from the engine's encrypted repository. The event source is `config.source` when
 * set (several accounts of one app), else the app id (`ghl` for a GHL location).
 *
 * @example
 * const connections = repositoryConnections(createConnectionRepository({ db, keyring }));
 */
export function repositoryConnections(repository: ConnectionRepository): ConnectionSource {
  return async (id) => {
    const c = await repository.get(id);
    if (!c) return null;
    // `source` names the engine's event source; it is not a setting of the app, so connectors never see it
    const { source: _named, ...config } = c.config;
    return { id: c.id, app: c.app, source: sourceOfConnection(c), config, secrets: c.secrets.reveal() };
  };
}
