/**
 * The connectors ghl-bridge ships: source apps (Recruitee, Connecteam, your app's webhooks, an
 * ERP) and GHL itself (its webhooks, the reconciliation, and every contacts operation as an
 * action), the runtime that feeds their triggers to the engine, and the operations catalog.
 *
 * @example
 * import { ALL_CONNECTORS, buildCatalog, connectorRegistry } from 'ghl-bridge/connectors';
 * const registry = connectorRegistry(ALL_CONNECTORS);
 * console.log(buildCatalog(ALL_CONNECTORS).length);
 */
import { connecteam } from './connecteam/index.js';
import { erp } from './erp/index.js';
import { ghl } from './ghl/index.js';
import { recruitee } from './recruitee/index.js';
import type { AnyConnector } from './types.js';
import { webhook } from './webhook/index.js';

export const ALL_CONNECTORS: readonly AnyConnector[] = [recruitee, connecteam, webhook, erp, ghl];

export { recruitee, connecteam, webhook, erp, ghl };
export { buildCatalog, feedingTrigger, sampleOf, sourceApp, type CatalogEntry } from './catalog.js';
export * from './runtime/index.js';
export * from './types.js';
