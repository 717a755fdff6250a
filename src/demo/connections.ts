/**
 * The demo's connections, with the ids the ready-made recipes use: `ghl-main` (the sandbox
 * location by its PIT: one stored `ghl-location` connection serves the engine's GHL target, which
 * reads `secrets.pit`, and the ghl source connector, whose events need `config.source: 'ghl'`),
 * `recruitee-main`, `connecteam-main`, `my-app` (your app: source `my-app`) and `erp-main`.
 *
 * Created when absent. One that exists is kept as it is unless the demo made it (its name starts
 * with "Demo: "): then its URLs and secrets are brought in step with this start's fakes (ports 0,
 * new secrets each start), never duplicated. A connection the user replaced is left alone.
 */
import type { Bridge } from '../server/bridge.js';
import type { NewConnection } from '../engine/index.js';
import { stableJson } from '../engine/plan/hash.js';
import { DEMO_NAME_PREFIX } from './defaults.js';
import type { DemoServices } from './services.js';

export interface DemoConnectionsReport {
  created: string[];
  updated: string[];
  /** existing and unchanged, or the user's own */
  kept: string[];
}

/** The connections this start of the demo needs (secrets included: never log the result). */
export function demoConnections(services: DemoServices): Array<NewConnection & { id: string; config: Record<string, unknown>; secrets: Record<string, string> }> {
  const info = services.sandbox.info();
  const s = services.secrets;
  return [
    {
      id: 'ghl-main',
      app: 'ghl-location',
      name: `${DEMO_NAME_PREFIX}GHL sandbox location`,
      config: { locationId: info.locationId, auth: 'pit', baseUrl: info.url, webhookPublicKey: info.webhookPublicKey, source: 'ghl' },
      secrets: { pit: info.pit },
    },
    {
      id: 'recruitee-main',
      app: 'recruitee',
      name: `${DEMO_NAME_PREFIX}Recruitee (fake)`,
      config: { baseUrl: services.urls.recruitee, companyId: services.fakes.recruitee.companyId, companyName: 'Acme Staffing' },
      secrets: { token: s.recruiteeToken, webhookSecret: s.recruiteeWebhookSecret },
    },
    {
      id: 'connecteam-main',
      app: 'connecteam',
      name: `${DEMO_NAME_PREFIX}Connecteam (fake)`,
      config: { baseUrl: services.urls.connecteam },
      secrets: { apiKey: s.connecteamApiKey, webhookSecret: s.connecteamWebhookSecret },
    },
    {
      id: 'my-app',
      app: 'webhook',
      name: `${DEMO_NAME_PREFIX}Your app (fake)`,
      config: { source: 'my-app', sendUrl: services.fakes.app.inboxUrl },
      secrets: { signingSecret: s.appSigningSecret },
    },
    {
      id: 'erp-main',
      app: 'erp',
      name: `${DEMO_NAME_PREFIX}ERP (fake)`,
      config: { baseUrl: services.urls.erp },
      secrets: { apiKey: s.erpApiKey },
    },
  ];
}

// key order differs once stored (jsonb), so compare canonical JSON
const same = (a: unknown, b: unknown) => stableJson(a) === stableJson(b);

/**
 * @example
 * const report = await ensureDemoConnections(bridge, services); // { created: ['ghl-main', …], updated: [], kept: [] }
 */
export async function ensureDemoConnections(bridge: Pick<Bridge, 'connections'>, services: DemoServices): Promise<DemoConnectionsReport> {
  const report: DemoConnectionsReport = { created: [], updated: [], kept: [] };
  for (const wanted of demoConnections(services)) {
    const existing = await bridge.connections.get(wanted.id);
    if (!existing) {
      await bridge.connections.create(wanted);
      report.created.push(wanted.id);
      continue;
    }
    const ours = existing.app === wanted.app && existing.name.startsWith(DEMO_NAME_PREFIX);
    if (!ours || (same(existing.config, wanted.config) && same(existing.secrets.reveal(), wanted.secrets))) {
      report.kept.push(wanted.id);
      continue;
    }
    await bridge.connections.update(wanted.id, { config: wanted.config, secrets: wanted.secrets });
    report.updated.push(wanted.id);
  }
  return report;
}
