import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command } from 'commander';
import type { BackfillDryRun } from '../server/routes/api/recipes-dry-run-backfill.js';
import { parseSchedule } from '../connectors/runtime/index.js';
import { parseRecipe, type RecipeIssue } from '../engine/recipes/index.js';
import { issueCount } from '../engine/text/cap.js';
import { readRecipeFile } from '../engine/text/recipe-file.js';
import { ALL_CONNECTORS, buildCatalog } from '../connectors/index.js';
import { apiFrom, targetOptions, type TargetFlags } from './api.js';
import { CliError, EXIT } from './errors.js';
import { paint, print, printJson, status, table, when } from './output.js';
import { recipesNewCommand } from './recipes-new.js';
import { pickSample } from './recipe-sample.js';
import { addVersionCommands } from './recipes-versions.js';

interface RecipeSummary {
  id: string;
  version: number;
  enabled: boolean;
  trigger: { source: string; events: string[] };
  connection: string;
  name?: string;
  paused?: { by: 'auto' | 'user'; reason: string; since: string };
}

function readFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(EXIT.usage, `${what} ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

/**
 * Checks a recipe (or `*.schedule.yaml`) file here, without a server: the same parser the
 * server and `start` use, every problem with its path.
 *
 * @example
 * validateFile('recipes/app-signup.yaml'); // { ok: true, kind: 'recipe', id: 'app-signup', errors: [] }
 */
export function validateFile(file: string): { ok: boolean; kind: 'recipe' | 'schedule'; id: string | null; errors: RecipeIssue[] } {
  const kind = basename(file).includes('.schedule.') ? 'schedule' : 'recipe';
  let text: ReturnType<typeof readRecipeFile>;
  try {
    text = readRecipeFile(file);
  } catch (e) {
    throw new CliError(EXIT.usage, `recipe ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (!text.ok) return { ok: false, kind, id: null, errors: [{ path: '', message: text.problem }] };
  if (kind === 'schedule') {
    const r = parseSchedule(text.text);
    return r.ok ? { ok: true, kind, id: r.schedule.id, errors: [] } : { ok: false, kind, id: null, errors: r.errors };
  }
  const r = parseRecipe(text.text, { format: /\.json$/i.test(file) ? 'json' : 'yaml' });
  return r.ok ? { ok: true, kind, id: r.recipe.id, errors: [] } : { ok: false, kind, id: null, errors: r.errors };
}

/**
 * `ghl-bridge recipes list|validate|save|show|history|export|dry-run|enable|disable|pause|resume`.
 *
 * @example
 * // ghl-bridge recipes dry-run app-signup --payload signup.json
 * // ghl-bridge recipes dry-run erp-customers --backfill erp-main --limit 500
 * program.addCommand(recipesCommand());
 */
export function recipesCommand(): Command {
  const recipes = new Command('recipes').description('Recipes: list, new, validate, save, show, history, export, dry-run, enable, disable, pause, resume');
  recipes.addCommand(recipesNewCommand());

  targetOptions(recipes.command('list').description('recipes (newest version of each)').option('--json', 'print a JSON array')).action(async (o: TargetFlags & { json?: boolean }) => {
    const items = await apiFrom(o).list<RecipeSummary>('/recipes');
    if (o.json) return printJson(items);
    if (items.length === 0) return print('no recipes (put recipe files in recipes.dir and restart, or see `ghl-bridge demo`)');
    print(table(['ID', 'VERSION', 'STATE', 'SOURCE', 'EVENTS', 'CONNECTION', 'NAME'], items.map((r) => [r.id, String(r.version), status(!r.enabled ? 'disabled' : r.paused ? `paused (${r.paused.by})` : 'enabled'), r.trigger.source, r.trigger.events.join(','), r.connection, r.name ?? ''])));
  });

  recipes
    .command('validate')
    .description('check a recipe or schedule file locally (no server needed)')
    .argument('<file>', 'recipe file (YAML or JSON), or a *.schedule.yaml')
    .option('--json', 'print { ok, kind, id, errors }')
    .action((file: string, o: { json?: boolean }) => {
      const r = validateFile(file);
      if (o.json) printJson(r);
      else if (r.ok) print(`${paint('green', 'ok')}: ${file} is a valid ${r.kind} (${r.id})`);
      else {
        const n = issueCount(r.errors);
        print(`${paint('red', 'invalid')}: ${file} has ${n.toLocaleString('en-US')} problem${n === 1 ? '' : 's'}:`);
        for (const e of r.errors) print(e.more ? `  … ${e.message}` : `  ${e.path || `(${r.kind})`}: ${e.message}`);
      }
      if (!r.ok) process.exitCode = EXIT.failed;
    });
  addVersionCommands(recipes);

  targetOptions(
    recipes
      .command('dry-run')
      .description('the exact GHL calls and field diffs one event (--payload, --sample, --event) or a backfill of an app connection (--backfill) would cause; nothing is written')
      .argument('<recipe>', 'a saved recipe id, or a recipe file not saved yet (recipes/x.yaml: planned as written)')
      .option('--payload <file>', 'the event payload (JSON file)')
      .option('--sample', "the catalog's sample event of the trigger that feeds the recipe (see `ops show <trigger>`), instead of --payload")
      .option('--event <eventId>', 'a stored event (its id in `runs list`/`GET /api/v1/events`), with its own type, source and payload')
      .option('--type <type>', "event type (default the payload's `type`, or the recipe's only event; with --sample: which of its events)")
      .option('--source <source>', "event source (default the recipe's trigger source)")
      .option('--backfill <connection>', "plan every record of this app connection (its connector's full listing) instead of one payload")
      .option('--limit <n>', 'with --backfill: stop after n records of the recipe (1..1000, default 100)')
      .option('--filter <json>', 'with --backfill: only records whose payload matches this condition, e.g. \'{"path":"customer.city","equals":"Oslo"}\'')
      .option('--json', 'print the plan as JSON'),
  ).action(async (target: string, o: DryRunFlags) => {
    const id = unsavedFile(target, o);
    if (o.payload !== undefined && o.backfill !== undefined) throw new CliError(EXIT.usage, '--payload and --backfill: use one of them (one event, or every record of a connection)');
    if (o.sample && (o.payload !== undefined || o.backfill !== undefined || o.event !== undefined)) throw new CliError(EXIT.usage, `--sample and --${o.payload !== undefined ? 'payload' : o.event !== undefined ? 'event' : 'backfill'}: use one of them`);
    if (o.backfill !== undefined) {
      if (o.text !== undefined) throw new CliError(EXIT.usage, `--backfill: plans a saved recipe; save ${target} first (\`ghl-bridge recipes save ${target}\`), or try it on one event with --sample or --payload`);
      return dryRunBackfill(id, o);
    }
    if (o.sample) return dryRunSample(id, o);
    if (o.event !== undefined) return dryRunEvent(id, o);
    if (o.payload === undefined) throw new CliError(EXIT.usage, 'dry-run needs --payload <file> or --sample (one event), --event <id> (a stored event) or --backfill <connection> (every record of an app connection)');
    for (const flag of ['limit', 'filter'] as const) if (o[flag] !== undefined) throw new CliError(EXIT.usage, `--${flag}: only with --backfill`);
    let payload: unknown;
    try {
      payload = JSON.parse(readFile(o.payload, 'payload'));
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(EXIT.usage, `payload ${o.payload}: not JSON (${(e as Error).message})`);
    }
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) throw new CliError(EXIT.usage, `payload ${o.payload}: expected a JSON object`);
    const type = o.type ?? (typeof (payload as Record<string, unknown>).type === 'string' ? ((payload as Record<string, unknown>).type as string) : undefined);
    // without a type the server takes the recipe's only event: an unknown recipe is named first (with a "did you mean")
    await postDryRun(id, o, type, payload as Record<string, unknown>);
  });

  for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
    targetOptions(recipes.command(name).description(`${name} a recipe (every version)`).argument('<id>', 'recipe id').option('--json', 'print { id, enabled }')).action(async (id: string, o: TargetFlags & { json?: boolean }) => {
      const r = await apiFrom(o).post<{ id: string; enabled: boolean }>(`/recipes/${encodeURIComponent(id)}/${name}`);
      if (o.json) return printJson(r);
      print(`${r.id} ${status(enabled ? 'enabled' : 'disabled')}`);
    });
  }
  targetOptions(
    recipes.command('pause').description('pause a recipe: its runs wait, queued, until resumed (events are still taken in)').argument('<id>', 'recipe id').option('--reason <text>', 'why (shown in the list and the logs)').option('--json', 'print { id, paused, changed }'),
  ).action(async (id: string, o: TargetFlags & { reason?: string; json?: boolean }) => {
    const r = await apiFrom(o).post<{ id: string; paused: boolean; changed: boolean }>(`/recipes/${encodeURIComponent(id)}/pause`, o.reason ? { reason: o.reason } : undefined);
    if (o.json) return printJson(r);
    print(r.changed ? `${r.id} ${status('paused')}: its runs wait until \`ghl-bridge recipes resume ${r.id}\`` : `${r.id} was paused already`);
  });
  targetOptions(recipes.command('resume').description('resume a paused recipe (by hand or auto-paused): its waiting runs are worked at once').argument('<id>', 'recipe id').option('--json', 'print { id, paused, changed }')).action(
    async (id: string, o: TargetFlags & { json?: boolean }) => {
      const r = await apiFrom(o).post<{ id: string; paused: boolean; changed: boolean }>(`/recipes/${encodeURIComponent(id)}/resume`);
      if (o.json) return printJson(r);
      print(r.changed ? `${r.id} ${status('enabled')}: resumed, its waiting runs are worked now` : `${r.id} was not paused`);
    },
  );
  return recipes;
}

type DryRunFlags = TargetFlags & { payload?: string; sample?: boolean; event?: string; type?: string; source?: string; backfill?: string; limit?: string; filter?: string; json?: boolean } & {
  /** set when the recipe is a file not saved yet: its text and trigger */
  text?: string;
  local?: { id: string; trigger: { source: string; events?: string[] } };
};

/**
 * A dry run's recipe argument: a saved id as it is, or a recipe file (`.yaml`, `.yml`, `.json`)
 * checked here like `recipes validate` and sent as text, so a draft is tried before it is saved.
 */
function unsavedFile(target: string, o: DryRunFlags): string {
  if (!/\.(ya?ml|json)$/i.test(target)) return target;
  const checked = validateFile(target);
  if (checked.kind === 'schedule') throw new CliError(EXIT.usage, `${target} is a schedule: dry-run takes a recipe (its id, or its file)`);
  if (!checked.ok) throw new CliError(EXIT.failed, `${target} is not a valid recipe:`, checked.errors.map((e) => `  ${e.path || '(recipe)'}: ${e.message}`));
  const text = readFile(target, 'recipe');
  const parsed = parseRecipe(text, { format: /\.json$/i.test(target) ? 'json' : 'yaml' });
  if (!parsed.ok) throw new CliError(EXIT.failed, `${target} is not a valid recipe`);
  o.text = text;
  o.local = { id: parsed.recipe.id, trigger: parsed.recipe.trigger };
  return parsed.recipe.id;
}

async function postDryRun(id: string, o: DryRunFlags, type: string | undefined, payload: Record<string, unknown>): Promise<void> {
  const result = await apiFrom(o).post<DryRun>(`/recipes/${encodeURIComponent(id)}/dry-run`, { ...(type ? { type } : {}), payload, ...(o.source ? { source: o.source } : {}), ...(o.text !== undefined ? { text: o.text } : {}) });
  if (o.json) return printJson(result);
  printDryRun(result);
}

/** `--sample`: the catalog sample of the trigger feeding the recipe's (newest) trigger; which one goes to stderr. */
async function dryRunSample(id: string, o: DryRunFlags): Promise<void> {
  for (const flag of ['limit', 'filter'] as const) if (o[flag] !== undefined) throw new CliError(EXIT.usage, `--${flag}: only with --backfill`);
  const recipes = o.local ? [o.local] : await apiFrom(o).list<RecipeSummary>('/recipes');
  const picked = pickSample(buildCatalog(ALL_CONNECTORS), recipes, id, o.type);
  process.stderr.write(`${picked.note}\n`);
  await postDryRun(id, o, picked.type, picked.payload);
}

/** `--event`: a stored event, read by the server with its own type, source and payload. */
async function dryRunEvent(id: string, o: DryRunFlags): Promise<void> {
  for (const flag of ['payload', 'type', 'source', 'limit', 'filter'] as const) if (o[flag] !== undefined) throw new CliError(EXIT.usage, `--${flag}: not with --event (the stored event's own type, source and payload are used)`);
  if (!/^[1-9]\d{0,17}$/.test(o.event!)) throw new CliError(EXIT.usage, `--event: an event id is a number (the \`event\` of \`ghl-bridge runs show <run>\`), not "${o.event}"`);
  const result = await apiFrom(o).post<DryRun>(`/recipes/${encodeURIComponent(id)}/dry-run`, { eventId: Number(o.event), ...(o.text !== undefined ? { text: o.text } : {}) });
  if (o.json) return printJson(result);
  if (result.event) print(`event ${result.event.id} (${result.event.source} ${result.event.type}, received ${when(result.event.receivedAt)} UTC)`);
  printDryRun(result);
}

/** Shown in the table; the rest is in `--json`. */
const BACKFILL_ROWS = 20;


/** `--backfill`: the flags checked here (exit 2), the server plans every record. */
async function dryRunBackfill(id: string, o: DryRunFlags): Promise<void> {
  for (const flag of ['type', 'source', 'event'] as const) if (o[flag] !== undefined) throw new CliError(EXIT.usage, `--${flag}: not with --backfill (the records' own event types and the connection's source are used)`);
  let limit: number | undefined;
  if (o.limit !== undefined) {
    limit = Number(o.limit);
    if (!/^\d+$/.test(o.limit) || limit < 1 || limit > 1000) throw new CliError(EXIT.usage, `--limit: expected a whole number from 1 to 1000, got "${o.limit}"`);
  }
  let filter: unknown;
  if (o.filter !== undefined) {
    try {
      filter = JSON.parse(o.filter);
    } catch (e) {
      throw new CliError(EXIT.usage, `--filter: not JSON (${(e as Error).message}); e.g. '{"path":"customer.city","equals":"Oslo"}'`);
    }
  }
  const result = await apiFrom(o).post<BackfillDryRun>(`/recipes/${encodeURIComponent(id)}/dry-run-backfill`, { connection: o.backfill, ...(limit !== undefined ? { limit } : {}), ...(filter !== undefined ? { filter } : {}) });
  if (o.json) return printJson(result);
  printBackfill(result);
}

function printBackfill(r: BackfillDryRun): void {
  const s = r.summary;
  const more = r.truncated ? paint('yellow', ` (stopped at ${r.considered}: the connection holds more; raise --limit)`) : '';
  print(`recipe ${r.recipeId}@${r.version} over ${r.connection}: ${r.listed} listed, ${r.considered} considered${more}`);
  print(`${s.create} create, ${s.update} update, ${s.unchanged} unchanged, ${s.skipped} skipped, ${s.errors === 0 ? '0 errors' : paint('red', `${s.errors} error${s.errors === 1 ? '' : 's'}`)} — nothing was written`);
  if (r.items.length === 0) return;
  const shown = r.items.slice(0, BACKFILL_ROWS);
  print(table(['RECORD', 'OUTCOME', 'CALLS'], shown.map((i) => [i.recordId, i.outcome === 'error' ? paint('red', 'error') : status(i.outcome), i.errors ? i.errors.map((e) => `${e.field}: ${e.message}`).join('; ') : i.calls.map((c) => `${c.method} ${c.path}`).join(', ') || '-'])));
  if (r.items.length > shown.length) print(`… ${r.items.length - shown.length} more (--json for every record)`);
}

interface DryRun {
  recipeId: string;
  version: number;
  /** false when the recipe came as a file (text), not from the saved versions */
  saved?: boolean;
  /** with --event: the stored event planned */
  event?: { id: number; source: string; type: string; receivedAt: string };
  evaluation: { matched: boolean; errors: Array<{ field: string; message: string }>; recordId: string | null };
  plan: { contactId: string | null; calls: Array<{ step: number; method: string; path: string; reason: string; diff: Array<{ field: string; from: unknown; to: unknown }> }>; skipped: Array<{ action: string; reason: string }> } | null;
  locationId: string;
  /** why the event does nothing: `event-type` (not handled), `filter` (which condition), `unchanged` */
  skipReason?: { code: string; message: string } | null;
}

function printDryRun(r: DryRun): void {
  // an event type the recipe does not handle is a mistake in the command, not a plan: exit 1 saying so
  if (r.skipReason?.code === 'event-type') throw new CliError(EXIT.failed, r.skipReason.message);
  const skipped = r.skipReason?.code === 'filter' ? r.skipReason.message : 'the recipe skips this event';
  print(`recipe ${r.recipeId}@${r.version}${r.saved === false ? ' (the file, not saved)' : ''} on location ${r.locationId}: ${r.evaluation.matched ? `record ${r.evaluation.recordId ?? '-'}` : paint('yellow', `skipped: ${skipped}`)}`);
  for (const e of r.evaluation.errors) print(paint('red', `  ${e.field}: ${e.message}`));
  if (!r.plan) return;
  print(r.plan.contactId ? `known contact ${r.plan.contactId}` : 'no contact known for this record yet');
  if (r.plan.calls.length === 0) print(`no GHL call: ${r.skipReason?.message ?? 'nothing changed'}`);
  for (const c of r.plan.calls) {
    print(`  ${c.step}. ${paint('bold', `${c.method} ${c.path}`)}  (${c.reason})`);
    for (const d of c.diff) print(`       ${d.field}: ${JSON.stringify(d.from) ?? '—'} → ${JSON.stringify(d.to) ?? '—'}`);
  }
  for (const s of r.plan.skipped) print(`  skipped ${s.action}: ${s.reason}`);
}
