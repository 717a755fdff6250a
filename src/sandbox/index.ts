/**
 * The GHL sandbox: a local server that speaks HighLevel's Contacts API v2 and OAuth closely
 * enough that the official SDK, our client and any HTTP tool can be pointed at it.
 *
 * @example
 * import { createSandbox } from 'ghl-bridge/sandbox';
 * const sandbox = await createSandbox({ port: 0 });
 * const { url, locationId, pit } = sandbox.info();
 * const res = await fetch(`${url}/contacts/?locationId=${locationId}`, {
 *   headers: { Authorization: `Bearer ${pit}`, Version: '2021-07-28' },
 * });
 * await sandbox.close();
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultConfig, type SandboxConfig } from './config.js';
import { SandboxCore } from './core.js';
import type { FaultRule } from './faults.js';
import { FilePersistence } from './persistence.js';
import { applySeed, defaultSeed, type SeedFile } from './seed.js';
import { createHttpServer } from './server.js';
import { publicKeyForms } from './webhooks.js';

export interface SandboxOptions {
  /** 0 picks a free port (default 0). */
  port?: number;
  /** Default 127.0.0.1: the admin endpoints have no auth. */
  host?: string;
  /** A seed (object or path to a JSON file); default: one agency, two locations, a few contacts. */
  seed?: SeedFile | string;
  /** Persist the state to this file and continue from it on the next start. */
  dataFile?: string;
  config?: Partial<Omit<SandboxConfig, 'rateLimit' | 'webhooks'>> & { rateLimit?: Partial<SandboxConfig['rateLimit']>; webhooks?: Partial<SandboxConfig['webhooks']> };
  faults?: FaultRule[];
  /** Randomness for fault rates (tests make it deterministic). */
  random?: () => number;
}

/** What scripts need to drive the sandbox (`ghl-bridge sandbox --json` prints it). */
export interface SandboxInfo {
  url: string;
  locationId: string;
  companyId: string;
  /** A location Private Integration Token with contacts.readonly and contacts.write. */
  pit: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  webhookPublicKey: string;
  locations: Array<{ id: string; name: string; companyId: string; duplicateCheck: string }>;
}

export interface Sandbox {
  url: string;
  core: SandboxCore;
  server: Server;
  info(): SandboxInfo;
  close(): Promise<void>;
}

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const base = defaultConfig();
  const config: SandboxConfig = {
    ...base,
    ...options.config,
    rateLimit: { ...base.rateLimit, ...options.config?.rateLimit },
    webhooks: { ...base.webhooks, ...options.config?.webhooks },
  };
  const core = new SandboxCore(config, { random: options.random });
  const seed: SeedFile = typeof options.seed === 'string' ? (JSON.parse(readFileSync(options.seed, 'utf8')) as SeedFile) : options.seed ?? defaultSeed();
  const persistence = options.dataFile ? new FilePersistence(options.dataFile, core.store) : null;
  const saved = persistence?.load();
  if (saved) core.store.load(saved);
  else applySeed(core, seed);
  core.webhooks.keys();
  for (const rule of options.faults ?? []) core.faults.add(rule);
  if (persistence) {
    core.store.onDirty(() => persistence.schedule());
    persistence.flush();
  }

  let url = '';
  const info = (): SandboxInfo => {
    const state = core.store.state;
    const locations = Object.values(state.locations);
    const first = locations[0];
    const pit = Object.values(state.tokens).find((t) => t.kind === 'pit' && t.locationId === first?.id && !t.revoked && t.scopes.includes('contacts.write'));
    const app = Object.values(state.apps)[0];
    return {
      url,
      locationId: first?.id ?? '',
      companyId: first?.companyId ?? '',
      pit: pit?.token ?? '',
      clientId: app?.clientId ?? '',
      clientSecret: app?.clientSecret ?? '',
      redirectUri: app?.redirectUris[0] ?? '',
      webhookPublicKey: publicKeyForms(core.webhooks.keys()).pem,
      locations: locations.map((l) => ({ id: l.id, name: l.name, companyId: l.companyId, duplicateCheck: l.duplicateCheck })),
    };
  };
  const server = createHttpServer(core, { initialSeed: seed, info: () => ({ ...info() }) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${host}:${address.port}`;

  return {
    url,
    core,
    server,
    info,
    async close() {
      core.webhooks.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      persistence?.flush();
    },
  };
}

export { SandboxCore } from './core.js';
export type { SandboxConfig } from './config.js';
export { parseFaultFlag, parseFaultRule, type FaultRule } from './faults.js';
export type { SeedFile } from './seed.js';
export type { SandboxState } from './model.js';
