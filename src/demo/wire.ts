/**
 * Connects the demo's stand-ins to an opened bridge: the connections, the recipes (with the
 * sandbox user in app-signup), every fake's webhooks to `<hooksBaseUrl>/hooks/<connection id>`,
 * the sandbox's marketplace app installed on the location with its webhooks to
 * `/hooks/ghl-main` and its OAuth redirect to this bridge's `/oauth/callback` (so `connect ghl`
 * works against the sandbox), the polls of what has no webhooks, and the stream of sample changes.
 */
import { startPolling, startSchedules, type PollSchedule } from '../connectors/runtime/index.js';
import type { Bridge, RecipeLoad } from '../server/bridge.js';
import { redirectUriOf } from '../server/routes/web/connect-ghl.js';
import { ensureDemoConnections, type DemoConnectionsReport } from './connections.js';
import { DEMO_EVENTS_EVERY_MS, DEMO_MAX_EVENTS, DEMO_POLL_EVERY_MS } from './defaults.js';
import { loadDemoRecipes } from './recipes.js';
import type { DemoEvent } from './script.js';
import type { DemoServices } from './services.js';
import { startDemoStream } from './stream.js';

export interface WireDemoOptions {
  /** where the bridge receives webhooks (the server's public URL; in tests `runtime.listen`'s URL) */
  hooksBaseUrl: string;
  /** one sample change every … ms (default 5000) */
  eventsEveryMs?: number;
  /** sample changes in all, across restarts (default 240) */
  maxEvents?: number;
  /** polls of notes, tasks, ERP changes and the GHL reconciliation every … ms (default 10000) */
  pollEveryMs?: number;
  /** aborting stops the stream and the polls (like `stop()`) */
  signal?: AbortSignal;
  onEvent?: (event: DemoEvent) => void;
}

export interface DemoHandle {
  sandbox: { url: string; locationId: string; companyId: string; userId: string; clientId: string };
  /** the fakes' base URLs */
  urls: DemoServices['urls'];
  /** webhook URL per demo connection */
  hooks: Record<string, string>;
  connections: DemoConnectionsReport;
  recipes: RecipeLoad;
  /** resolves with the steps applied in all when the bounded sequence ends or the demo stops */
  finished: Promise<number>;
  /** Stops the sample stream, the polls and the schedules (the services and the bridge stay up). */
  stop(): Promise<void>;
}

/** Polls of what the fakes announce by no webhook: Recruitee notes and tasks, ERP customers then tasks, GHL's reconciliation. */
function demoPolls(bridge: Bridge, everyMs: number): PollSchedule[] {
  const poll = (connection: string, ...triggers: string[]) => async (signal: AbortSignal) => {
    // in order: an ERP task's customer is ingested first, so its contact exists when the task runs
    for (const trigger of triggers) await bridge.runtime.poll(connection, trigger, { signal });
  };
  return [
    { name: 'demo: recruitee notes and tasks', everyMs, run: poll('recruitee-main', 'recruitee.notes.changed', 'recruitee.tasks.changed') },
    { name: 'demo: erp customers and tasks', everyMs, run: poll('erp-main', 'erp.customers.changed', 'erp.tasks.changed') },
    { name: 'demo: ghl reconciliation', everyMs: everyMs * 3, run: poll('ghl-main', 'ghl.contacts.reconcile') },
  ];
}

async function admin(url: string, method: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
}

/**
 * @example
 * const demo = await wireDemo(bridge, services, { hooksBaseUrl: server.url });
 * // … later
 * await demo.stop(); await services.close(); await bridge.close();
 */
export async function wireDemo(bridge: Bridge, services: DemoServices, options: WireDemoOptions): Promise<DemoHandle> {
  const base = options.hooksBaseUrl.replace(/\/+$/, '');
  const hook = (id: string) => `${base}/hooks/${encodeURIComponent(id)}`;
  const { sandbox, fakes } = services;
  const info = sandbox.info();
  const state = sandbox.core.store.state;
  const user = Object.values(state.users).find((u) => u.locationIds.includes(info.locationId)) ?? Object.values(state.users).find((u) => u.companyId === info.companyId);
  if (!user) throw new Error('the sandbox has no user for the welcome task of app-signup (reset it: delete sandbox.json)');

  const connections = await ensureDemoConnections(bridge, services);
  const recipes = await loadDemoRecipes(bridge, user.id);
  for (const problem of recipes.problems) bridge.logger.warn({ problem }, 'demo: a recipe was not loaded');

  // GHL: the marketplace app's webhooks go to the bridge, and the app is installed on the location
  const app = Object.values(state.apps).find((a) => a.clientId === info.clientId)!;
  // and sends `connect ghl`'s browser back to this bridge (the port may differ on each start)
  const redirectUri = redirectUriOf(bridge.config.ghl.oauth?.redirectUri, base);
  // (the last few only: with --port 0 every start has another one)
  const redirectUris = app.redirectUris.includes(redirectUri) ? app.redirectUris : [...app.redirectUris, redirectUri].slice(-10);
  await admin(info.url, 'PUT', `/_sandbox/apps/${encodeURIComponent(info.clientId)}`, { webhookUrl: hook('ghl-main'), redirectUris });
  if (!state.installations.some((i) => i.appId === app.id && i.locationId === info.locationId)) {
    await admin(info.url, 'POST', '/_sandbox/seed', { installations: [{ clientId: info.clientId, companyId: info.companyId, locationId: info.locationId }] });
  }

  // the fakes announce their changes to the bridge from now on
  const probe = await fakes.recruitee.setWebhookUrl(hook('recruitee-main'));
  if (probe && !probe.delivered) bridge.logger.warn({ url: hook('recruitee-main') }, 'demo: the bridge did not answer Recruitee\'s test delivery');
  fakes.connecteam.setWebhookUrl(hook('connecteam-main'));
  fakes.app.webhookUrl = hook('my-app');

  const pollEveryMs = options.pollEveryMs ?? DEMO_POLL_EVERY_MS;
  const stopPolls = startPolling(demoPolls(bridge, pollEveryMs), { onError: (job, e) => bridge.logger.warn({ err: e, job }, 'demo: a poll failed') });
  const stopSchedules = startSchedules(bridge.runtime, recipes.schedules, {
    onError: (schedule, e) => bridge.logger.warn({ err: e, schedule }, 'demo: a schedule failed'),
    onReport: (report) => bridge.logger.info({ report }, 'demo: schedule ran'),
  });
  const stream = startDemoStream({
    script: services.script,
    state: services.state,
    stateFile: services.stateFile,
    everyMs: options.eventsEveryMs ?? DEMO_EVENTS_EVERY_MS,
    maxEvents: options.maxEvents ?? DEMO_MAX_EVENTS,
    logger: bridge.logger,
    onEvent: options.onEvent,
  });

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      options.signal?.removeEventListener('abort', onAbort);
      await stream.stop();
      // wait for polls and scheduled syncs in flight: the database closes after this
      await Promise.all([stopPolls(), stopSchedules()]);
    })());
  const onAbort = () => void stop();
  if (options.signal?.aborted) await stop();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  return {
    sandbox: { url: info.url, locationId: info.locationId, companyId: info.companyId, userId: user.id, clientId: info.clientId },
    urls: services.urls,
    hooks: Object.fromEntries(['ghl-main', 'recruitee-main', 'connecteam-main', 'my-app', 'erp-main'].map((id) => [id, hook(id)])),
    connections,
    recipes,
    finished: stream.finished,
    stop,
  };
}
