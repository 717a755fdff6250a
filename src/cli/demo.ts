import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { demoConfigOverrides, startDemoServices, wireDemo, DEMO_NAME_PREFIX, DEMO_PORTS } from '../demo/index.js';
import { writeDemoWebhookExample } from '../demo/try-webhook.js';
import { openBridge, type Bridge } from '../server/bridge.js';
import { consoleLinks } from '../server/console/index.js';
import { createMetrics, startServer } from '../server/index.js';
import { CliError, EXIT } from './errors.js';
import { closeInOrder, intFlag, LOG_LEVELS, onShutdown, stderrLogger, unwind } from './lifecycle.js';
import { paint, print, warn } from './output.js';
import { configOrExit } from './settings.js';

/** The ready-made recipes shipped beside the code (`src/cli` and `dist/cli` are both two levels down). */
export const SHIPPED_RECIPES = fileURLToPath(new URL('../../recipes', import.meta.url));

interface DemoFlags {
  config?: string;
  data: string;
  host: string;
  port: number;
  sandboxPort: number;
  eventsEvery?: number;
  maxEvents?: number;
  logLevel: string;
  json?: boolean;
}

/**
 * `ghl-bridge demo` (what `npm start` runs): the GHL sandbox, the app fakes, the connections, the
 * ready-made recipes, a stream of sample events, the server and a worker, on the embedded
 * database in `./data`. Restarting on the same data keeps everything and continues the stream.
 *
 * @example
 * // ghl-bridge demo --data ./data --port 8787 --sandbox-port 8790
 * program.addCommand(demoCommand());
 */
export function demoCommand(): Command {
  return new Command('demo')
    .description('Everything locally in one command: GHL sandbox, app fakes, recipes, sample events, server and worker')
    .option('--config <file>', 'configuration file (default ghl-bridge.yaml when present; GHL is the sandbox whatever it says)')
    .option('--data <dir>', 'data directory (embedded database, sandbox state, demo progress)', './data')
    .option('--host <host>', 'address of the server', '127.0.0.1')
    .option('--port <n>', 'server port (0 = any free port)', intFlag('port', 0, 65535), 8787)
    .option('--sandbox-port <n>', `GHL sandbox port (0 = any free port, and the fakes too; default fakes ${DEMO_PORTS.recruitee}–${DEMO_PORTS.erp})`, intFlag('sandbox-port', 0, 65535), DEMO_PORTS.sandbox)
    .option('--events-every <ms>', 'one sample change every … ms (default 5000)', intFlag('events-every', 10))
    .option('--max-events <n>', 'sample changes in all, across restarts (default 240)', intFlag('max-events', 0))
    .addOption(new Option('--log-level <level>', 'log level; logs go to stderr').choices(LOG_LEVELS).default('warn'))
    .option('--json', 'print one JSON line { url, sandboxUrl, adminToken, adminTokenFile, fakes, consoleUrl, loginUrl } when ready')
    .action(async (o: DemoFlags) => {
      const dataDir = resolve(o.data);
      if (!existsSync(SHIPPED_RECIPES)) throw new CliError(EXIT.usage, `the ready-made recipes are missing (${SHIPPED_RECIPES}); reinstall ghl-bridge`);
      const closers: Array<() => Promise<unknown> | void> = [];
      try {
        const anyPort = o.sandboxPort === 0;
        const services = await startDemoServices({ dataDir, sandboxPort: o.sandboxPort, ...(anyPort ? { fakesPorts: { recruitee: 0, connecteam: 0, app: 0, erp: 0 } } : {}) }).catch((e: unknown) => {
          const inUse = (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
          throw new CliError(EXIT.failed, `cannot start the sandbox and the fakes: ${(e as Error).message}${inUse ? ` (is another demo running? stop it, or pass --sandbox-port 0)` : ''}`);
        });
        closers.push(() => services.close());
        // `connect ghl` works against the sandbox's own marketplace app
        const sandboxApp = services.sandbox.info();
        const config = configOrExit({
          file: o.config,
          overrides: { dataDir, server: { host: o.host, port: o.port }, recipes: { dir: SHIPPED_RECIPES }, log: { level: o.logLevel }, ...demoConfigOverrides({ sandboxUrl: services.urls.sandbox, oauthClientId: sandboxApp.clientId }) },
          env: { ...process.env, GHL_CLIENT_SECRET: sandboxApp.clientSecret },
        });
        const logger = stderrLogger(config.log.level);
        const metrics = createMetrics();
        const bridge = await openBridge(config, { logger, metrics });
        closers.push(() => bridge.close());
        const http = await startServer(bridge, { host: config.server.host, port: config.server.port, metrics }).catch((e: unknown) => {
          throw new CliError(EXIT.failed, `cannot listen on ${config.server.host}:${config.server.port}: ${(e as Error).message}${(e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? ' (pass --port 0 for any free port)' : ''}`);
        });
        closers.push(() => http.close());
        await bridge.engine.startWorker(config.workers);
        // the server's own URL unless a public one was configured (webhooks must reach this process)
        const derived = config.server.publicUrl === `http://${config.server.host}:${config.server.port}`;
        const demo = await wireDemo(bridge, services, { hooksBaseUrl: derived ? http.url : config.server.publicUrl, eventsEveryMs: o.eventsEvery, maxEvents: o.maxEvents });
        closers.push(() => demo.stop());
        // incidents as `start` opens them (the demo's dead letters and stalls show in `incidents list`)
        bridge.startIncidentMonitor(demo.recipes.schedules);
        // the server first (requests in flight finish), then the stream, polls and schedules (awaited), the workers and the database, the fakes last
        onShutdown(() => closeInOrder([() => http.close(), () => demo.stop(), () => bridge.close(), () => services.close()]), logger);

        const fakes = { recruitee: services.urls.recruitee, connecteam: services.urls.connecteam, app: services.urls.app, erp: services.urls.erp };
        const adminTokenFile = config.adminToken ? null : config.adminTokenFile;
        // the console, and a link that lands signed in (used once, 10 minutes)
        const links = await consoleLinks(bridge.db, derived ? http.url : config.server.publicUrl);
        if (o.json) {
          process.stdout.write(`${JSON.stringify({ url: http.url, sandboxUrl: services.urls.sandbox, adminToken: bridge.adminToken, adminTokenFile, fakes, consoleUrl: links.consoleUrl, loginUrl: links.loginUrl })}\n`);
          return;
        }
        for (const p of demo.recipes.problems) warn(`recipe not loaded: ${p}`);
        const defaultData = resolve('./data') === dataDir;
        const flags = `${http.url === 'http://127.0.0.1:8787' ? '' : ` --url ${http.url}`}${defaultData && !config.adminToken ? '' : ` --token ${bridge.adminToken}`}`;
        const label = (s: string) => paint('cyan', s.padEnd(12));
        print(paint('bold', 'ghl-bridge demo'));
        print(`  ${label('server')}${http.url}   (health ${http.url}/readyz, metrics ${http.url}/metrics)`);
        print(`  ${label('admin API')}${http.url}/api/v1   (OpenAPI ${http.url}/api/v1/openapi.json)`);
        print(`  ${label('admin token')}${bridge.adminToken}   (${adminTokenFile ? relative(process.cwd(), adminTokenFile) || adminTokenFile : 'env GHL_BRIDGE_ADMIN_TOKEN'})`);
        print(`  ${label('GHL sandbox')}${services.urls.sandbox}   (location ${demo.sandbox.locationId}; state ${services.urls.sandbox}/_sandbox)`);
        print(`  ${label('fakes')}recruitee ${fakes.recruitee} · connecteam ${fakes.connecteam} · your app ${fakes.app} · erp ${fakes.erp}`);
        print(`  ${label('data')}${relative(process.cwd(), dataDir) || '.'}   (embedded database; restart keeps everything)`);
        print(`  ${label('recipes')}${demo.recipes.loaded.length} loaded, ${demo.recipes.schedules.length} schedule(s); connections ${[...demo.connections.created, ...demo.connections.updated, ...demo.connections.kept].join(', ')}`);
        print('');
        print(`Console: ${links.consoleUrl}`);
        print(`Sign in (one-time link, 10 min): ${links.loginUrl}`);
        print('');
        print('Sample events arrive every few seconds. Try next:');
        print(`  npx ghl-bridge runs list${flags}`);
        print(`  curl -H "Authorization: Bearer ${bridge.adminToken}" ${http.url}/api/v1/runs`);
        print(`  ${scrapeLine(http.url, config.metrics.tokenEnv, config.metricsToken)}`);
        print(`  npx ghl-bridge ops list`);
        await printTryWebhook(bridge, { dataDir, hookUrl: demo.hooks['my-app']!, flags });
        print('Connect a location by OAuth (the sandbox plays the marketplace; open the link, choose the location):');
        print(`  npx ghl-bridge connect ghl --connection ghl-2${flags}`);
        print('Stop with Ctrl-C.');
        print(`ready ${http.url}`);
      } catch (e) {
        await unwind(closers);
        throw e;
      }
    });
}

/**
 * The `my-app` webhook, to try by hand: its signing secret (a demo secret, shown here once and
 * never logged), `webhook send` (signed by the server, any time) and a curl signed now. Shown only
 * while `my-app` is the demo's own connection: a connection the user put there keeps its secret.
 */
async function printTryWebhook(bridge: Bridge, o: { dataDir: string; hookUrl: string; flags: string }): Promise<void> {
  const stored = await bridge.connections.get('my-app');
  const secret = stored?.app === 'webhook' && stored.name.startsWith(DEMO_NAME_PREFIX) ? stored.secrets.reveal().signingSecret : undefined;
  if (!secret) return;
  const label = relative(process.cwd(), join(o.dataDir, 'examples', 'signup.json')) || 'signup.json';
  const example = writeDemoWebhookExample({ dataDir: o.dataDir, hookUrl: o.hookUrl, secret, fileLabel: label });
  print(`Try your app's webhook (my-app, Standard Webhooks, signing secret ${secret}) with a sign-up that app-signup turns into a contact:`);
  print(`  npx ghl-bridge webhook send my-app --payload ${label}${o.flags}`);
  print(`  ${example.curl}   (signed now: valid 5 minutes)`);
}

/**
 * How to scrape `/metrics`: with the header when a token is set. The token is the operator's
 * (their env var), so the line names the variable and never prints its value.
 */
export function scrapeLine(url: string, tokenEnv: string | undefined, token: string | undefined): string {
  return token && tokenEnv ? `curl -H "Authorization: Bearer $${tokenEnv}" ${url}/metrics` : `curl ${url}/metrics`;
}
