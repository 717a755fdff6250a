import { Command } from 'commander';
import type { SyncSummary } from '../connectors/runtime/index.js';
import { apiFrom, ApiRefused, targetOptions, type Api, type TargetFlags } from './api.js';
import { CliError, EXIT } from './errors.js';
import { paint, print, printJson, status, table, warn } from './output.js';
import { bar, createEta } from './progress.js';

/** What `GET /api/v1/syncs/{id}` answers: the runtime's summary with the server's view of it. */
export interface SyncView extends SyncSummary {
  connection: string;
  recipe: string | null;
  running: boolean;
  progress: { records: number; matched: number; ingested: number };
  error: string | null;
}

const POLL_MS = 400;
const finishedRuns = (v: SyncView) => (v.runs.succeeded ?? 0) + (v.runs.skipped ?? 0) + (v.runs.dead ?? 0);
const openRuns = (v: SyncView) => (v.runs.queued ?? 0) + (v.runs.running ?? 0);

interface SyncFlags extends TargetFlags {
  full?: string;
  connection?: string;
  filter?: string;
  resume?: string;
  json?: boolean;
}

/**
 * `ghl-bridge sync --full <recipe> --connection <id>`: a full sync in the server, followed here
 * with a progress bar on a terminal and a summary at the end. Ctrl-C cancels it (resumable:
 * `sync --resume <id>` continues without ingesting a record twice).
 *
 * @example
 * // ghl-bridge sync --full erp-customers --connection erp-main --filter '{"path":"customer.businessId","equals":"b-1"}'
 * program.addCommand(syncCommand());
 */
export function syncCommand(): Command {
  return targetOptions(
    new Command('sync')
      .description('Full sync of an app connection through a recipe (progress, summary; Ctrl-C cancels, --resume continues)')
      .option('--full <recipe>', 'the recipe every listed record goes through')
      .option('--connection <id>', 'the app connection whose records are listed (with --full)')
      .option('--filter <json>', 'only records matching this condition, e.g. \'{"path":"customer.businessId","equals":"b-1"}\'')
      .option('--resume <syncId>', 'continue an interrupted or cancelled sync')
      .option('--json', 'print the final summary as JSON (no progress bar)'),
  ).action(async (o: SyncFlags) => {
    if (Boolean(o.full) === Boolean(o.resume)) throw new CliError(EXIT.usage, 'give --full <recipe> --connection <id>, or --resume <syncId>');
    if (o.full && !o.connection) throw new CliError(EXIT.usage, '--connection <id>: required with --full (the app connection whose records are listed)');
    if (o.resume && !/^\d+$/.test(o.resume)) throw new CliError(EXIT.usage, `--resume: expected a sync number, got "${o.resume}"`);
    let filter: unknown;
    if (o.filter !== undefined) {
      try {
        filter = JSON.parse(o.filter);
      } catch (e) {
        throw new CliError(EXIT.usage, `--filter: not JSON (${(e as Error).message})`);
      }
    }
    const api = apiFrom(o);
    // listen for Ctrl-C before the sync exists: a Ctrl-C right after "started" must cancel, not kill
    const sigint = watchSigint();
    const { id } = o.resume
      ? await api.post<{ id: number }>(`/syncs/${o.resume}/resume`)
      : await api.post<{ id: number }>('/syncs', { connection: o.connection, recipe: o.full, ...(filter !== undefined ? { filter } : {}) });
    warn(`sync ${id} ${o.resume ? 'resumed' : 'started'}; Ctrl-C cancels it (resumable)`);
    const withBar = !o.json && process.stdout.isTTY === true;
    const budgetPerSecond = withBar ? await ghlBudgetPerSecond(api, id) : undefined;
    const view = await follow(api, id, { bar: withBar, sigint, budgetPerSecond }).finally(() => sigint.dispose());
    if (o.json) printJson(view);
    else printSummary(view);
    if (view.status !== 'done') {
      warn(`sync ${id} ${view.status}${view.error ? `: ${view.error}` : ''}; resume it with \`ghl-bridge sync --resume ${id}\``);
      process.exitCode = EXIT.failed;
    } else if (view.failed > 0) {
      warn(`${view.failed} record${view.failed === 1 ? '' : 's'} failed: see \`ghl-bridge dlq list --recipe ${view.recipe}\`, fix the cause, then \`ghl-bridge dlq replay --all\``);
      process.exitCode = EXIT.failed;
    }
  });
}

/**
 * Requests per second the GHL location of the sync's recipe allows (its learnt burst limit), for
 * the ETA; undefined when it cannot be known (no recipe, no budget learnt yet). Best effort: the
 * bar works without it.
 */
async function ghlBudgetPerSecond(api: Api, syncId: number): Promise<number | undefined> {
  try {
    const sync = await api.get<{ recipe: string | null }>(`/syncs/${syncId}`);
    if (!sync.recipe) return undefined;
    const recipes = await api.list<{ id: string; connection: string }>('/recipes');
    const connection = recipes.find((r) => r.id === sync.recipe)?.connection;
    if (!connection) return undefined;
    const ghl = await api.get<{ config: { locationId?: string } }>(`/connections/${encodeURIComponent(connection)}`);
    const budgets = await api.get<{ items: Array<{ key: string; limits: { max: number; intervalMs: number } }> }>('/rate-budget');
    const budget = budgets.items.find((b) => b.key === ghl.config.locationId);
    return budget && budget.limits.intervalMs > 0 ? (budget.limits.max * 1000) / budget.limits.intervalMs : undefined;
  } catch {
    // an ETA from the measured rate alone is still an ETA
    return undefined;
  }
}

interface SigintWatch {
  readonly interrupted: boolean;
  /** called once on Ctrl-C (and at once when it came already) */
  onInterrupt(fn: (() => void) | null): void;
  dispose(): void;
}

/** Ctrl-C as a flag (the process keeps running to cancel the sync cleanly). */
function watchSigint(): SigintWatch {
  let interrupted = false;
  let listener: (() => void) | null = null;
  const handler = () => {
    interrupted = true;
    listener?.();
  };
  process.on('SIGINT', handler);
  return {
    get interrupted() {
      return interrupted;
    },
    onInterrupt(fn) {
      listener = fn;
    },
    dispose: () => void process.off('SIGINT', handler),
  };
}

/** Polls the sync until it ended and its runs settled; Ctrl-C cancels it in the server. */
async function follow(api: Api, id: number, o: { bar: boolean; sigint: SigintWatch; budgetPerSecond?: number }): Promise<SyncView> {
  const eta = createEta({ budgetPerSecond: o.budgetPerSecond });
  for (;;) {
    const v = await api.get<SyncView>(`/syncs/${id}`);
    if (o.sigint.interrupted) return await cancel(api, id, v, o.bar);
    const done = finishedRuns(v);
    eta.sample(done, Date.now());
    const listing = v.running || v.status === 'running';
    if (o.bar) {
      const p = { done, total: listing ? v.progress.matched : v.matched, final: !listing };
      process.stdout.write(`\r\u001b[2K${bar(p, eta.rate(), eta.eta(p))}`);
    }
    if (v.status !== 'running' && !v.running && (v.status !== 'done' || openRuns(v) === 0)) {
      if (o.bar) process.stdout.write('\n');
      return v;
    }
    if (v.status === 'running' && !v.running) {
      if (o.bar) process.stdout.write('\n');
      // the row says running but no server process lists it: the server stopped mid-sync
      return { ...v, status: 'failed', error: 'no server process is running it (was the server restarted?)' };
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, POLL_MS);
      o.sigint.onInterrupt(() => {
        clearTimeout(t);
        resolve();
      });
    });
    o.sigint.onInterrupt(null);
  }
}

async function cancel(api: Api, id: number, last: SyncView, withBar: boolean): Promise<SyncView> {
  if (withBar) process.stdout.write('\n');
  try {
    await api.post(`/syncs/${id}/cancel`);
  } catch (e) {
    // already past its listing: nothing to cancel, its runs finish in the server
    if (!(e instanceof ApiRefused && e.status === 409)) throw e;
    warn(`sync ${id} had already listed every record; its runs finish in the server (\`ghl-bridge runs list\`)`);
    return api.get<SyncView>(`/syncs/${id}`);
  }
  const v = await api.get<SyncView>(`/syncs/${id}`).catch(() => last);
  return { ...v, status: v.status === 'running' ? 'cancelled' : v.status };
}

function printSummary(v: SyncView): void {
  print(`sync ${v.syncId} ${status(v.status)}: ${v.connection} → ${v.recipe ?? '(schedule)'}; ${v.records} records listed, ${v.matched} matched, ${v.ingested} ingested`);
  print(table(['CREATED', 'UPDATED', 'UNCHANGED', 'FAILED'], [[paint('green', String(v.created)), String(v.updated), String(v.unchanged), v.failed > 0 ? paint('red', String(v.failed)) : '0']]));
}
