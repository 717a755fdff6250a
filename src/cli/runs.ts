import { CliError, EXIT } from './errors.js';
import { Command, Option } from 'commander';
import type { RunSummary } from '../server/queries/runs.js';
import { apiFrom, targetOptions, type Api, type TargetFlags } from './api.js';
import { intFlag } from './lifecycle.js';
import { paint, print, printJson, status, table, when } from './output.js';

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'skipped', 'dead', 'dismissed'] as const;

/** The recipes' GHL connections, to name the one to re-authorize when a run died of a 401/403. */
export async function recipeConnections(api: Api): Promise<Map<string, string>> {
  const recipes = await api.list<{ id: string; connection: string }>('/recipes');
  return new Map(recipes.map((r) => [r.id, r.connection]));
}

/**
 * What a person should do about a run's error: a GHL 401/403 names the connection to
 * re-authorize and the command that says how; otherwise the reason as the engine recorded it.
 *
 * @example
 * errorHint(run, 'ghl-main'); // 're-authorize connection ghl-main: HighLevel answered 401 …'
 */
export function errorHint(run: Pick<RunSummary, 'error'>, connection: string | undefined): string {
  const e = run.error;
  if (!e) return '';
  const reason = e.reason.replace(/\s+/g, ' ');
  if ((e.status === 401 || e.status === 403) && e.code !== 'APP') {
    // how to renew them depends on the connection's auth kind (a new PIT, or OAuth again): `connections test` says which
    const how = connection ? `\`ghl-bridge connections test ${connection}\` says how to renew them` : "`ghl-bridge recipes list` names the recipe's connection, and `ghl-bridge connections test` with its id says how to renew them";
    return `re-authorize connection ${connection ?? "(the recipe's connection)"}: HighLevel refused its credentials (${e.status}); ${how}, then \`ghl-bridge dlq replay --all\` (${reason})`;
  }
  return reason;
}

/** Runs as a table (human) — shared by `runs list` and `dlq list`. */
export function runsTable(runs: RunSummary[], connections: Map<string, string>): string {
  return table(
    ['ID', 'STATUS', 'RECIPE', 'RECORD', 'TRIES', 'CREATED (UTC)', 'ERROR'],
    runs.map((r) => [String(r.id), status(r.status), `${r.recipeId}@${r.recipeVersion}`, r.recordKey ?? '', String(r.attempts), when(r.createdAt), errorHint(r, connections.get(r.recipeId))]),
    120,
  );
}

interface ListFlags extends TargetFlags {
  status?: string;
  recipe?: string;
  contact?: string;
  limit: number;
  json?: boolean;
}

/**
 * `ghl-bridge runs list|show`.
 *
 * @example
 * // ghl-bridge runs list --status dead --json
 * program.addCommand(runsCommand());
 */
export function runsCommand(): Command {
  const runs = new Command('runs').description('Runs of recipes: what each event did');
  targetOptions(
    runs
      .command('list')
      .description('runs, newest first')
      .addOption(new Option('--status <status>', 'only runs in this status').choices(RUN_STATUSES))
      .option('--recipe <id>', 'only runs of this recipe')
      .option('--contact <ghlId>', 'only runs that touched this GHL contact')
      .option('--limit <n>', 'at most this many', intFlag('limit', 1), 100)
      .option('--json', 'print a JSON array'),
  ).action(async (o: ListFlags) => {
    const api = apiFrom(o);
    const items = await api.list<RunSummary>('/runs', { status: o.status, recipe: o.recipe, contact: o.contact }, o.limit);
    if (o.json) return printJson(items);
    if (items.length === 0) return print('no runs');
    print(runsTable(items, await recipeConnections(api)));
  });
  targetOptions(runs.command('show').description('one run: its plan, journaled steps and error').argument('<id>', 'run id').option('--json', 'print JSON')).action(
    async (id: string, o: TargetFlags & { json?: boolean }) => {
      if (!/^\d{1,18}$/.test(id)) throw new CliError(EXIT.usage, `run id must be a number (the ID column of \`ghl-bridge runs list\`), not "${id}"`);
      const api = apiFrom(o);
      const run = await api.get<RunSummary & { plan: { calls?: Array<{ step: number; method: string; path: string; reason: string; diff: Array<{ field: string; from: unknown; to: unknown }> }> } | null; steps: Array<{ step: number; action: string; status: string; ghlId: string | null; error: unknown }>; history?: Array<{ at: string; action: string; detail: unknown; actor: string | null }> }>(`/runs/${encodeURIComponent(id)}`);
      if (o.json) return printJson(run);
      const connection = (await recipeConnections(api)).get(run.recipeId);
      print(`run ${run.id}  ${status(run.status)}  recipe ${run.recipeId}@${run.recipeVersion}  record ${run.recordKey ?? '-'}  event ${run.eventId}  tries ${run.attempts}`);
      print(`created ${when(run.createdAt)}${run.finishedAt ? `, finished ${when(run.finishedAt)}` : ''} (UTC)`);
      if (run.error) print(paint('red', `error: ${errorHint(run, connection)}`));
      if (run.skipReason) print(paint('yellow', `skipped: ${run.skipReason.message}`));
      for (const call of run.plan?.calls ?? []) {
        const step = run.steps.find((s) => s.step === call.step);
        print(`  ${call.step}. ${call.method} ${call.path}  ${step ? status(step.status) : 'not started'}${step?.ghlId ? ` → ${step.ghlId}` : ''}  (${call.reason})`);
        for (const d of call.diff) print(`       ${d.field}: ${JSON.stringify(d.from) ?? '—'} → ${JSON.stringify(d.to) ?? '—'}`);
      }
      if ((run.plan?.calls ?? []).length === 0) print('  no calls');
      // what was done to it: dead-lettered, replayed (which versions), dismissed (why)
      for (const h of run.history ?? []) print(`history: ${when(h.at)}  ${h.action}${h.actor ? ` by ${h.actor}` : ''}  ${JSON.stringify(h.detail)}`);
    },
  );
  return runs;
}
