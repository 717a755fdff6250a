import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectorActions, connectorRegistry, createConnectorRuntime, staticConnections, type ConnectorRuntime } from '../../src/connectors/runtime/index.js';
import type { AnyConnector, ConnectorConnection } from '../../src/connectors/types.js';
import { createEngine, type Engine, type Recipe } from '../../src/engine/index.js';
import { parseRecipe } from '../../src/engine/recipes/index.js';
import { createGhlClient, type GhlClient } from '../../src/ghl/index.js';
import type { SandboxOptions } from '../../src/sandbox/index.js';
import { pgliteDatabase, type TestDatabase } from './databases.js';
import { settleRuns } from './engine.js';
import { startSandbox, type TestSandbox } from './sandbox.js';

/** The GHL connection id every ready-made recipe writes to. */
export const GHL_CONNECTION = 'ghl-main';

/** Reads `recipes/<name>.yaml` (or .json), failing with every problem listed. */
export function loadRecipe(name: string): Recipe {
  const file = join(import.meta.dirname, '../../recipes', /\.(ya?ml|json)$/.test(name) ? name : `${name}.yaml`);
  const parsed = parseRecipe(readFileSync(file, 'utf8'));
  if (!parsed.ok) throw new Error(`${name}: ${parsed.errors.map((e) => `${e.path || '(recipe)'}: ${e.message}`).join('; ')}`);
  return parsed.recipe;
}

/** A contact as the sandbox stores it (the fields tests look at; the rest as unknown). */
export interface SandboxContact {
  id: string;
  email?: string | null;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  companyName?: string | null;
  source?: string | null;
  tags: string[];
  customFields: Array<{ id: string; value: unknown }>;
  [field: string]: unknown;
}

export interface BridgeOptions {
  connectors: AnyConnector[];
  /** The app connections (the GHL one, `ghl-main`, is added: PIT of the sandbox's first location). */
  connections?: (sandbox: TestSandbox) => ConnectorConnection[];
  /** Recipes, or names of files in recipes/. */
  recipes?: Array<Recipe | string>;
  sandbox?: SandboxOptions;
  /** Start a worker (default true). */
  worker?: boolean;
  /** Database (default a fresh in-memory PGlite). */
  database?: () => Promise<TestDatabase>;
}

export interface Bridge {
  sb: TestSandbox;
  db: TestDatabase;
  engine: Engine;
  runtime: ConnectorRuntime;
  ghl: GhlClient;
  locationId: string;
  /** `POST` here for a connection's webhooks */
  hookUrl(connectionId: string): string;
  /** Every contact of the location, as the sandbox stores it. */
  ghlContacts(): Promise<SandboxContact[]>;
  /** Waits until no run is queued or running; runs per status. */
  settle(timeoutMs?: number): Promise<Record<string, number>>;
  /** Number of runs (all statuses). */
  runCount(): Promise<number>;
  close(): Promise<void>;
}

/**
 * ghl-bridge end to end for connector tests: the real sandbox, an engine on PGlite with a
 * worker, the connector runtime listening for webhooks on loopback, and the recipes saved.
 *
 * @example
 * const bridge = await startBridge({ connectors: [recruitee], connections: () => [conn], recipes: ['recruitee-candidates'] });
 * await fake.addCandidate({ name: 'Jane Doe' }); await bridge.settle();
 * expect(await bridge.ghlContacts()).toHaveLength(1);
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const sb = await startSandbox(options.sandbox);
  const db = await (options.database ?? pgliteDatabase)();
  const locationId = sb.info.locationId;
  const ghl = createGhlClient({ baseUrl: sb.url, auth: { privateIntegrationToken: sb.info.pit }, locationId, retry: { maxAttempts: 3, baseDelayMs: 10 } });
  const ghlConnection: ConnectorConnection = {
    id: GHL_CONNECTION,
    app: 'ghl-location',
    source: 'ghl',
    config: { baseUrl: sb.url, locationId, webhookPublicKey: sb.info.webhookPublicKey },
    secrets: { token: sb.info.pit },
  };
  const connections = staticConnections([ghlConnection, ...(options.connections?.(sb) ?? [])]);
  const registry = connectorRegistry(options.connectors);
  const engine = await createEngine({
    db: db.db,
    ghl: async (id) => {
      if (id !== GHL_CONNECTION) throw new Error(`no GHL connection ${id}`);
      return { client: ghl, locationId };
    },
    apps: connectorActions({ registry, connections }),
    maxAttempts: 3,
  });
  for (const r of options.recipes ?? []) await engine.saveRecipe(typeof r === 'string' ? loadRecipe(r) : r);
  const runtime = createConnectorRuntime({ engine, registry, connections });
  const hooks = await runtime.listen({ port: 0 });
  if (options.worker !== false) await engine.startWorker({ concurrency: 2, pollingIntervalSeconds: 0.5 });
  return {
    sb,
    db,
    engine,
    runtime,
    ghl,
    locationId,
    hookUrl: (id) => `${hooks.url}/hooks/${id}`,
    async ghlContacts() {
      const res = await fetch(`${sb.url}/_sandbox/locations/${locationId}/contacts`);
      const body = (await res.json()) as { contacts: SandboxContact[] };
      return body.contacts;
    },
    settle: (timeoutMs) => settleRuns(db.db, timeoutMs),
    async runCount() {
      const { rows } = await db.db.query<{ n: string }>('select count(*) as n from runs');
      return Number(rows[0]!.n);
    },
    async close() {
      await hooks.close();
      await engine.close();
      await sb.close();
      await db.drop().catch(() => undefined);
    },
  };
}
