/** Fixed ports of the demo on loopback, so URLs stored in the demo's connections stay valid across restarts. */
export const DEMO_PORTS = { sandbox: 8790, recruitee: 8792, connecteam: 8793, app: 8794, erp: 8795 } as const;

export type DemoFakePorts = { recruitee: number; connecteam: number; app: number; erp: number };

/** Seed of the sample sequence. */
export const DEMO_SEED = 6;

/** One sample change every 5 s, at most 240 (20 minutes), polls every 10 s. */
export const DEMO_EVENTS_EVERY_MS = 5_000;
export const DEMO_MAX_EVENTS = 240;
export const DEMO_POLL_EVERY_MS = 10_000;

/** Names of the connections the demo creates; it updates only connections carrying this name prefix. */
export const DEMO_NAME_PREFIX = 'Demo: ';

/**
 * What the CLI merges into the configuration before `openBridge` in demo mode: GHL is the sandbox.
 *
 * @example
 * const services = await startDemoServices({ dataDir });
 * loadConfig({ overrides: demoConfigOverrides({ sandboxUrl: services.urls.sandbox }) });
 * // or, before the sandbox runs, from its fixed port:
 * loadConfig({ overrides: demoConfigOverrides({ sandboxPort: 8790 }) });
 * // `connect ghl` against the sandbox's marketplace app (its secret goes in env GHL_CLIENT_SECRET):
 * const { clientId, clientSecret } = services.sandbox.info();
 * loadConfig({ overrides: demoConfigOverrides({ sandboxUrl, oauthClientId: clientId }), env: { ...process.env, GHL_CLIENT_SECRET: clientSecret } });
 */
export function demoConfigOverrides(options: { sandboxPort?: number; sandboxUrl?: string; oauthClientId?: string } = {}): { demo: true; ghl: { baseUrl: string; authorizeBaseUrl: string; oauth?: { clientId: string } } } {
  if (options.sandboxUrl === undefined && options.sandboxPort === 0) throw new Error('demoConfigOverrides: port 0 has no URL yet; pass the started sandbox URL (services.urls.sandbox)');
  const url = (options.sandboxUrl ?? `http://127.0.0.1:${options.sandboxPort ?? DEMO_PORTS.sandbox}`).replace(/\/$/, '');
  // the sandbox's marketplace app replaces any configured one: GHL is the sandbox in the demo
  return { demo: true, ghl: { baseUrl: url, authorizeBaseUrl: url, ...(options.oauthClientId ? { oauth: { clientId: options.oauthClientId } } : {}) } };
}
