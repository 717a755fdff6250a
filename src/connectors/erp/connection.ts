/** A stored ERP connection → the typed connection with its two feeds (the API key never enumerable). */
import { ConnectionSettingsError, readSettings } from '../settings.js';
import type { ConnectorConnection } from '../types.js';
import { erpConfigSchema, type ErpConn, type Feed, type FeedConfig } from './schemas.js';

function feedOf(entity: Feed['entity'], config: FeedConfig): Feed {
  const json = config.from === 'odata' || config.from === 'api';
  // JSON feeds are incremental by their updated-at column; a CSV without one is a full snapshot
  const cursor = config.cursor === undefined ? (json ? 'lastModifiedDateTime' : null) : config.cursor;
  return { ...config, entity, cursor };
}

/**
 * Reads a stored connection (throws naming the field; the API key is never echoed).
 *
 * @example
 * erpConnection({ id: 'erp-main', app: 'erp', source: 'erp', config: { baseUrl: 'https://erp.example.com/api' }, secrets: { apiKey: 'k' } });
 */
export function erpConnection(stored: ConnectorConnection): ErpConn {
  const parsed = { data: readSettings(erpConfigSchema, stored.config, 'config', (field, message) => {
    throw new ConnectionSettingsError(stored.id, field, message, 'erp');
  }) };
  const c = parsed.data;
  const conn = { id: stored.id, source: stored.source, baseUrl: c.baseUrl, apiKeyHeader: c.apiKeyHeader, pageSize: c.pageSize, customers: feedOf('customer', c.customers), tasks: feedOf('task', c.tasks) } as ErpConn;
  // the key is non-enumerable (not in JSON.stringify, util.inspect or a spread of the connection)
  // and toJSON says it is there without showing it
  const apiKey = stored.secrets.apiKey;
  Object.defineProperties(conn, {
    apiKey: { value: typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined, enumerable: false },
    toJSON: { value: () => ({ ...conn, apiKey: conn.apiKey === undefined ? null : '[redacted]' }), enumerable: false },
  });
  // a missing baseUrl is reported when a feed or action needs it: a CSV-drop-only connection has none
  for (const feed of [conn.customers, conn.tasks]) {
    if ((feed.from === 'odata' || feed.from === 'api') && feed.cursor === null) throw new Error(`connection ${stored.id}: config.${feed.entity}s.cursor: a JSON feed needs an updated-at column`);
  }
  return conn;
}

