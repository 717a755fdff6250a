import type { AnyActionOf, AnyConnector, TriggerDef } from '../types.js';

/** Stored connection apps that a connector of another id serves (a GHL location is the `ghl` source). */
const APP_ALIASES: Record<string, string> = { 'ghl-location': 'ghl' };

/**
 * The connectors a runtime knows, looked up by app, trigger id and action id.
 *
 * @example
 * const registry = connectorRegistry([recruitee, connecteam]);
 * registry.action('recruitee.addNote'); // { connector, action }
 */
export function connectorRegistry(connectors: ReadonlyArray<AnyConnector>) {
  const byApp = new Map(connectors.map((c) => [c.app, c]));
  const actions = new Map<string, { connector: AnyConnector; action: AnyActionOf<unknown> }>();
  const triggers = new Map<string, { connector: AnyConnector; trigger: TriggerDef<unknown> }>();
  for (const connector of connectors) {
    for (const action of connector.actions) {
      if (actions.has(action.id)) throw new Error(`two actions share the id ${action.id}`);
      actions.set(action.id, { connector, action });
    }
    for (const trigger of connector.triggers) {
      if (triggers.has(trigger.id)) throw new Error(`two triggers share the id ${trigger.id}`);
      triggers.set(trigger.id, { connector, trigger });
    }
  }
  return {
    connectors,
    /** The connector serving a stored connection's app. */
    forApp: (app: string): AnyConnector | undefined => byApp.get(APP_ALIASES[app] ?? app),
    action: (id: string) => actions.get(id),
    trigger: (id: string) => triggers.get(id),
  };
}

export type ConnectorRegistry = ReturnType<typeof connectorRegistry>;
