/**
 * The demo: what `npm start` runs with no configuration. The GHL sandbox (state kept in
 * `<dataDir>/sandbox.json`) stands in for HighLevel and loopback fakes for Recruitee, Connecteam,
 * your app and the ERP; the demo creates the connections the ready-made recipes name, loads the
 * recipes, points every webhook at the bridge and streams a bounded, seeded sequence of sample
 * changes (`<dataDir>/demo.json` remembers how far it got, so a restart continues).
 *
 * The sandbox URL must be known before the bridge opens (GHL targets take `config.ghl.baseUrl`),
 * hence two halves: `startDemoServices` (no bridge) and `wireDemo` (with the bridge).
 *
 * @example
 * const services = await startDemoServices({ dataDir: './data' });
 * const loaded = loadConfig({ overrides: demoConfigOverrides({ sandboxUrl: services.urls.sandbox }) });
 * const bridge = await openBridge(loaded.config, { logger });
 * const server = await startServer(bridge, { host, port });
 * await bridge.engine.startWorker({ concurrency: 4 });
 * const demo = await wireDemo(bridge, services, { hooksBaseUrl: bridge.config.server.publicUrl });
 * // Ctrl-C:
 * await demo.stop(); await services.close(); await server.close(); await bridge.close();
 */
import type { Bridge } from '../server/bridge.js';
import { startDemoServices, type DemoServices, type DemoServicesOptions } from './services.js';
import { wireDemo, type DemoHandle, type WireDemoOptions } from './wire.js';

export { DEMO_EVENTS_EVERY_MS, DEMO_MAX_EVENTS, DEMO_NAME_PREFIX, DEMO_POLL_EVERY_MS, DEMO_PORTS, DEMO_SEED, demoConfigOverrides, type DemoFakePorts } from './defaults.js';
export { demoConnections, ensureDemoConnections, type DemoConnectionsReport } from './connections.js';
export { loadDemoRecipes, withGhlUser, USER_PLACEHOLDER } from './recipes.js';
export { createDemoScript, seededRandom, type DemoEvent, type DemoFakes, type DemoScript } from './script.js';
export { startDemoServices, type DemoSecrets, type DemoServices, type DemoServicesOptions } from './services.js';
export { readDemoState, type DemoState } from './state.js';
export { wireDemo, type DemoHandle, type WireDemoOptions } from './wire.js';
export { exampleSignup, writeDemoWebhookExample, type DemoWebhookExample } from './try-webhook.js';

export type StartDemoOptions = Omit<DemoServicesOptions, 'dataDir'> & WireDemoOptions;

export interface RunningDemo extends DemoHandle {
  services: DemoServices;
  /** Stops the stream, the polls, the fakes and the sandbox (not the bridge). */
  stop(): Promise<void>;
}

/**
 * Both halves for a bridge opened with `ghl.baseUrl` = the sandbox URL (`demoConfigOverrides({
 * sandboxPort })` with a fixed port); the data lives in the bridge's `dataDir`.
 *
 * @example
 * const bridge = await openBridge(loadConfigOrExit({ overrides: demoConfigOverrides({ sandboxPort: 8790 }) }), { logger });
 * const demo = await startDemo(bridge, { sandboxPort: 8790, hooksBaseUrl: 'http://127.0.0.1:8787' });
 * await demo.stop();
 */
export async function startDemo(bridge: Bridge, options: StartDemoOptions): Promise<RunningDemo> {
  const services = await startDemoServices({ ...options, dataDir: bridge.config.dataDir });
  try {
    const expected = services.urls.sandbox.replace(/\/+$/, '');
    if (bridge.config.ghl.baseUrl.replace(/\/+$/, '') !== expected) {
      throw new Error(`the bridge writes to ${bridge.config.ghl.baseUrl}, not to the demo sandbox ${expected}: open it with demoConfigOverrides({ sandboxUrl: '${expected}' })`);
    }
    const handle = await wireDemo(bridge, services, options);
    return {
      ...handle,
      services,
      async stop() {
        await handle.stop();
        await services.close();
      },
    };
  } catch (e) {
    await services.close();
    throw e;
  }
}
