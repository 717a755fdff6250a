/**
 * The demo's stand-ins, started before the bridge (the bridge must know the sandbox URL when it
 * opens): the GHL sandbox with its state in `<dataDir>/sandbox.json`, and the Recruitee,
 * Connecteam, your-app and ERP fakes, each on its own loopback port. The fakes keep their data in
 * memory only, so a restart rebuilds it by replaying the sample steps already applied, silently.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createConnecteamFake } from '../connectors/connecteam/fake.js';
import { createErpFake } from '../connectors/erp/fake.js';
import { createRecruiteeFake } from '../connectors/recruitee/fake.js';
import { createAppFake } from '../connectors/webhook/fake.js';
import { createSandbox, type Sandbox, type SandboxOptions } from '../sandbox/index.js';
import { DEMO_PORTS, DEMO_SEED, type DemoFakePorts } from './defaults.js';
import { createDemoScript, type DemoFakes, type DemoScript } from './script.js';
import { readDemoState, writeDemoState, type DemoState } from './state.js';

export interface DemoServicesOptions {
  /** sandbox.json and demo.json live here (the bridge's dataDir) */
  dataDir: string;
  /** default 8790; 0: any free port (tests) */
  sandboxPort?: number;
  /** default 8792–8795; 0: any free port */
  fakesPorts?: Partial<DemoFakePorts>;
  /** seed of the sample sequence on a first start (a restart keeps the saved one) */
  seed?: number;
  /** sandbox settings (e.g. rate limits) */
  sandboxConfig?: SandboxOptions['config'];
}

/** Credentials the fakes were started with; each start makes new ones (the demo's connections follow). */
export interface DemoSecrets {
  recruiteeToken: string;
  recruiteeWebhookSecret: string;
  connecteamApiKey: string;
  connecteamWebhookSecret: string;
  appSigningSecret: string;
  erpApiKey: string;
}

export interface DemoServices {
  dataDir: string;
  sandbox: Sandbox;
  fakes: DemoFakes;
  urls: { sandbox: string; recruitee: string; connecteam: string; app: string; erp: string };
  /** the sample sequence, positioned after the steps already applied */
  script: DemoScript;
  state: DemoState;
  stateFile: string;
  /** not enumerable: logging the services object prints no secret */
  readonly secrets: DemoSecrets;
  /** Stops the fakes and the sandbox (its state is flushed to sandbox.json). */
  close(): Promise<void>;
}

const secret = (bytes = 24) => randomBytes(bytes).toString('base64url');

/** A loopback endpoint that accepts anything: where your-app's replayed deliveries go. */
async function sink(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{}'));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/**
 * @example
 * const services = await startDemoServices({ dataDir: './data' });
 * const config = loadConfig({ overrides: demoConfigOverrides({ sandboxUrl: services.urls.sandbox }) });
 * const bridge = await openBridge(config.config, { logger });
 * const demo = await wireDemo(bridge, services, { hooksBaseUrl: 'http://127.0.0.1:8787' });
 */
export async function startDemoServices(options: DemoServicesOptions): Promise<DemoServices> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const ports = { ...DEMO_PORTS, ...options.fakesPorts };
  const secrets: DemoSecrets = {
    recruiteeToken: secret(),
    recruiteeWebhookSecret: secret(),
    connecteamApiKey: secret(),
    connecteamWebhookSecret: secret(),
    appSigningSecret: `whsec_${randomBytes(24).toString('base64')}`,
    erpApiKey: secret(),
  };
  const started: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of started.reverse()) await close().catch(() => undefined);
    started.length = 0;
  };
  try {
    const sandbox = await createSandbox({ port: options.sandboxPort ?? DEMO_PORTS.sandbox, dataFile: join(dataDir, 'sandbox.json'), config: options.sandboxConfig });
    started.push(() => sandbox.close());
    const recruitee = await createRecruiteeFake({ port: ports.recruitee, companyId: 90001, companyName: 'Acme Staffing', token: secrets.recruiteeToken, webhookSecret: secrets.recruiteeWebhookSecret, retryDelaysMs: [500, 2000, 5000] });
    started.push(() => recruitee.close());
    const connecteam = await createConnecteamFake({ port: ports.connecteam, apiKey: secrets.connecteamApiKey, webhookSecret: secrets.connecteamWebhookSecret, retryDelaysMs: [500, 2000, 5000] });
    started.push(() => connecteam.close());
    const app = await createAppFake({ port: ports.app, secret: secrets.appSigningSecret, retryDelaysMs: [500, 2000, 5000] });
    started.push(() => app.close());
    const erp = await createErpFake({ port: ports.erp, apiKey: secrets.erpApiKey });
    started.push(() => erp.close());
    const fakes: DemoFakes = { recruitee, connecteam, app, erp };

    const stateFile = join(dataDir, 'demo.json');
    const state = readDemoState(stateFile, { seed: options.seed ?? DEMO_SEED, now: Date.now() });
    const script = createDemoScript(fakes, { seed: state.seed, epoch: state.epoch });
    if (state.step > 0) {
      // rebuild the fakes' records (same ids, same content) without telling the bridge again
      const quiet = await sink();
      app.webhookUrl = quiet.url;
      try {
        while (script.step < state.step) await script.next({ silent: true }).catch(() => undefined);
        await app.idle();
      } finally {
        app.webhookUrl = undefined;
        await quiet.close();
      }
    }
    writeDemoState(stateFile, state);

    const services: DemoServices = {
      dataDir,
      sandbox,
      fakes,
      urls: { sandbox: sandbox.url, recruitee: recruitee.url, connecteam: connecteam.url, app: app.url, erp: erp.url },
      script,
      state,
      stateFile,
      secrets,
      close: closeAll,
    };
    Object.defineProperty(services, 'secrets', { value: secrets, enumerable: false });
    return services;
  } catch (e) {
    await closeAll();
    throw e;
  }
}
