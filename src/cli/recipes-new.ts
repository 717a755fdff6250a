import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { Command } from 'commander';
import { buildCatalog } from '../connectors/catalog.js';
import { ALL_CONNECTORS } from '../connectors/index.js';
import { didYouMean } from '../engine/recipes/schema-errors.js';
import { apiFrom, targetOptions, type TargetFlags } from './api.js';
import { CliError, EXIT } from './errors.js';
import { print, warn } from './output.js';
import { DRAFT_ACTIONS, defaultRecipeId, defaultSource, draftRecipe, type DraftAction, type DraftInput, type DraftTrigger } from './recipe-draft.js';
import { createPrompter, type Prompter } from './recipe-questions.js';
import { validateFile } from './recipes.js';

export interface NewRecipeFlags extends TargetFlags {
  app?: string;
  trigger?: string;
  event?: string;
  source?: string;
  connection?: string;
  action?: string[];
  id?: string;
  out?: string;
  force?: boolean;
}

export interface NewRecipeDeps {
  /** null without a terminal: every answer must then come from a flag */
  prompter: Prompter | null;
  /** the server's GHL location connections, or null when it cannot be asked (the id is typed then) */
  ghlConnections(): Promise<string[] | null>;
}

const RECIPE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const NAME = /^[A-Za-z0-9._:-]{1,128}$/;
const EVENT = /^\S{1,200}$/;

const checkId = (v: string) => (RECIPE_ID.test(v) ? null : `--id: "${v}" is not a recipe id (1-100 letters, digits, ".", "_", ":" or "-", starting with a letter or digit)`);
const checkName = (flag: string, what: string) => (v: string) => (NAME.test(v) ? null : `${flag}: "${v}" is not ${what} (1-128 letters, digits, ".", "_", ":" or "-")`);
const checkAction = (v: string) => ((DRAFT_ACTIONS as readonly string[]).includes(v) ? null : `--action: unknown action "${v}"${didYouMean(v, [...DRAFT_ACTIONS])}; one of ${DRAFT_ACTIONS.join(', ')} (an app action is written by hand: see \`ghl-bridge ops list\`)`);

function usage(problem: string | null): void {
  if (problem) throw new CliError(EXIT.usage, problem);
}

const triggerLabel = (t: DraftTrigger) => `${t.id} — ${t.title} (events: ${t.events!.join(', ')})`;

/**
 * Every answer `recipes new` needs, from the flags, else asked (with a terminal), else a usage
 * error naming the missing flags; flags are checked the same either way.
 *
 * @example
 * const { draft, out } = await planDraft({ trigger: 'recruitee.candidate.created', connection: 'ghl-main', id: 'mine' }, catalogTriggers(), { prompter: null, ghlConnections: async () => null });
 */
export async function planDraft(flags: NewRecipeFlags, triggers: DraftTrigger[], deps: NewRecipeDeps): Promise<{ draft: DraftInput; out: string }> {
  const apps = [...new Set(triggers.map((t) => t.app))];
  const missing: string[] = [];
  const hints: string[] = [];
  const ask = deps.prompter;

  // the app and the trigger
  if (flags.app !== undefined && !apps.includes(flags.app)) usage(`--app: unknown app "${flags.app}"${didYouMean(flags.app, apps)}; one of ${apps.join(', ')}`);
  let trigger: DraftTrigger | undefined;
  if (flags.trigger !== undefined) {
    trigger = triggers.find((t) => t.id === flags.trigger);
    const pool = triggers.filter((t) => flags.app === undefined || t.app === flags.app).map((t) => t.id);
    if (!trigger || (flags.app !== undefined && trigger.app !== flags.app)) usage(`--trigger: no trigger "${flags.trigger}"${flags.app ? ` of app ${flags.app}` : ''}${didYouMean(flags.trigger, pool)}; one of ${pool.join(', ')}`);
  }
  let app = trigger?.app ?? flags.app;
  if (!trigger && ask) {
    app ??= await ask.ask('Source app (where the events come from)', { choices: apps.map((a) => ({ value: a, label: `${a} (${triggers.filter((t) => t.app === a).length} triggers)` })) });
    const own = triggers.filter((t) => t.app === app);
    const id = await ask.ask(`Trigger of ${app}`, { choices: own.map((t) => ({ value: t.id, label: triggerLabel(t) })), ...(own.length === 1 ? { default: own[0]!.id } : {}) });
    trigger = own.find((t) => t.id === id)!;
  } else if (!trigger) {
    missing.push('--trigger');
    hints.push(`  --trigger: one of ${triggers.filter((t) => app === undefined || t.app === app).map((t) => t.id).join(', ')}`);
  }

  // the event
  let event = flags.event;
  if (trigger) {
    const events = trigger.events!;
    const any = events.includes('*');
    if (event !== undefined && (any ? !EVENT.test(event) : !events.includes(event))) {
      usage(any ? `--event: "${event}" is not an event type (your app's own type, e.g. user.created: no spaces)` : `--event: trigger ${trigger.id} has no event "${event}"${didYouMean(event, events)}; one of ${events.join(', ')}`);
    }
    if (event === undefined && !any && events.length === 1) event = events[0];
    if (event === undefined && ask) {
      event = any
        ? await ask.ask(`Event type your app sends (e.g. user.created)`, { ...(trigger.sample?.type ? { default: trigger.sample.type } : {}), check: (v) => (EVENT.test(v) ? null : 'an event type has no spaces') })
        : await ask.ask(`Event of ${trigger.id}`, { choices: events.map((e) => ({ value: e })) });
    } else if (event === undefined) {
      missing.push('--event');
      hints.push(`  --event: ${any ? "your app's event type, e.g. user.created" : `one of ${events.join(', ')}`}`);
    }
  } else if (event !== undefined && !EVENT.test(event)) usage(`--event: "${event}" is not an event type`);

  // the source: a webhook connection names its own (config.source); other apps' is the app id
  let source = flags.source;
  if (source !== undefined) usage(checkName('--source', 'an event source')(source));
  if (source === undefined && app !== undefined && app !== 'webhook') source = defaultSource(app);
  if (source === undefined && app === 'webhook') {
    if (ask) source = await ask.ask("Event source of your app's connection (its config.source)", { default: 'my-app', check: checkName('--source', 'an event source') });
    else {
      missing.push('--source');
      hints.push("  --source: the event source of your app's webhook connection (its config.source, e.g. my-app)");
    }
  }

  // the GHL connection
  let connection = flags.connection;
  if (connection !== undefined) usage(checkName('--connection', 'a connection id')(connection));
  else if (ask) {
    const known = await deps.ghlConnections();
    connection = known && known.length > 0
      ? await ask.ask('GHL connection the actions write to', { choices: known.map((id) => ({ value: id })), default: known.includes('ghl-main') ? 'ghl-main' : known[0]! })
      : await ask.ask(`GHL connection id${known === null ? ' (the server did not answer: type it)' : ' (the server has none yet: type the id you will use)'}`, { default: 'ghl-main', check: checkName('--connection', 'a connection id') });
  } else missing.push('--connection');

  // the actions
  for (const a of flags.action ?? []) usage(checkAction(a));
  let actions = (flags.action ?? []) as DraftAction[];
  if (actions.length === 0 && ask) {
    const answer = await ask.ask(`Actions, in order, separated by commas (${DRAFT_ACTIONS.join(', ')})`, {
      default: 'upsertContact',
      check: (v) => v.split(',').map((s) => s.trim()).filter(Boolean).map(checkAction).find((p) => p !== null) ?? null,
    });
    actions = answer.split(',').map((s) => s.trim()).filter(Boolean) as DraftAction[];
  } else if (actions.length === 0) actions = ['upsertContact'];

  // the recipe id
  let id = flags.id;
  if (id !== undefined) usage(checkId(id));
  else if (ask) id = await ask.ask('Recipe id', { default: defaultRecipeId(source ?? app ?? 'app', event ?? 'events'), check: checkId });
  else missing.push('--id');

  if (missing.length > 0) {
    throw new CliError(EXIT.usage, `missing ${missing.join(', ')}: without a terminal to ask in, recipes new takes every answer as a flag (ghl-bridge recipes new --help)`, hints);
  }
  return { draft: { trigger: trigger!, event: event!, source: source!, connection: connection!, actions, id: id! }, out: flags.out ?? `recipes/${id}.yaml` };
}

/** The catalog's triggers that emit events (a draft needs one to listen to). */
export function catalogTriggers(): DraftTrigger[] {
  return (buildCatalog(ALL_CONNECTORS) as DraftTrigger[]).filter((e) => e.kind === 'trigger' && (e.events?.length ?? 0) > 0);
}

/** The server's GHL location connections, or null when it cannot be asked (no token, not running). */
async function ghlConnectionsOf(flags: TargetFlags): Promise<string[] | null> {
  try {
    const items = await apiFrom(flags).list<{ id: string }>('/connections', { app: 'ghl-location' });
    return items.map((c) => c.id);
  } catch (e) {
    if (e instanceof CliError) return null;
    throw e;
  }
}

/**
 * `ghl-bridge recipes new`: drafts a commented recipe YAML from the operations catalog — asked in
 * a terminal, or from flags — and checks it as `recipes validate` does. Refuses to overwrite a
 * file unless `--force`.
 *
 * @example
 * // ghl-bridge recipes new --trigger webhook.standard-webhooks --event user.created --source my-app --connection ghl-main --action upsertContact --action task --id my-signups
 * recipes.addCommand(recipesNewCommand());
 */
export function recipesNewCommand(): Command {
  const collect = (v: string, all: string[]) => [...all, v];
  return targetOptions(
    new Command('new')
      .description('draft a commented recipe from a trigger of the catalog (asks in a terminal; flags otherwise)')
      .option('--app <app>', 'source app (recruitee, connecteam, webhook, erp, ghl)')
      .option('--trigger <id>', 'catalog trigger id (see `ghl-bridge ops list --app <app>`)')
      .option('--event <type>', "event type (one of the trigger's; any for your app's webhooks)")
      .option('--source <source>', "event source (default the app id; your app: its connection's config.source, e.g. my-app)")
      .option('--connection <id>', 'GHL location connection the actions write to')
      .option('--action <type>', `an action, repeatable, in order: ${DRAFT_ACTIONS.join(', ')} (default upsertContact)`, collect, [])
      .option('--id <id>', 'recipe id')
      .option('--out <file>', 'where to write it (default recipes/<id>.yaml)')
      .option('--force', 'overwrite the file when it exists'),
  ).action(async (o: NewRecipeFlags) => {
    const tty = process.stdin.isTTY === true && process.stderr.isTTY === true;
    // questions go to stderr: stdout stays what the command reports
    const prompter = tty ? createPrompter(process.stdin, process.stderr) : null;
    let planned;
    try {
      planned = await planDraft(o, catalogTriggers(), { prompter, ghlConnections: () => ghlConnectionsOf(o) });
    } finally {
      prompter?.close();
    }
    const { draft, out } = planned;
    if (existsSync(out) && !o.force) throw new CliError(EXIT.usage, `--out ${out}: the file exists; pass --force to overwrite it, or choose another --out`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, draftRecipe(draft));
    const check = validateFile(out);
    if (!check.ok) throw new CliError(EXIT.failed, `wrote ${out}, but it does not validate (a bug of recipes new: please report it):`, check.errors.map((e) => `  ${e.path || '(recipe)'}: ${e.message}`));
    const shown = relative(process.cwd(), out) || out;
    print(`wrote ${shown}: recipe ${draft.id} (${draft.trigger.id}, ${draft.event} → ${draft.connection}; ${draft.actions.join(', ')}), valid`);
    if (draft.trigger.sample === undefined) warn('its mapping was guessed from the payload schema: check the paths against a real event');
    print('Next: check the mapping, then');
    print(`  npx ghl-bridge recipes validate ${shown}`);
    print(`  npx ghl-bridge recipes save ${shown}`);
  });
}
