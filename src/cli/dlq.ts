import { Command } from 'commander';
import type { DeadLetterExplanation, ReplayedRun, RunHistoryEntry } from '../engine/index.js';
import type { RunSummary } from '../server/queries/runs.js';
import { apiFrom, targetOptions, type TargetFlags } from './api.js';
import { CliError, EXIT } from './errors.js';
import { intFlag } from './lifecycle.js';
import { paint, print, printJson, status, when } from './output.js';
import { recipeConnections, runsTable } from './runs.js';

type DeadLetter = RunSummary & { explanation?: DeadLetterExplanation };

interface FilterFlags extends TargetFlags {
  recipe?: string;
  errorCode?: string;
  since?: string;
  all?: boolean;
  json?: boolean;
}

/** `--recipe`, `--error-code`, `--since` (and `--all` where the command acts on dead letters). */
function filterOptions(cmd: Command, o: { all?: string } = {}): Command {
  cmd
    .option('--recipe <id>', 'only dead letters of this recipe')
    .option('--error-code <code>', 'only this error code (MAPPING, VALIDATION, AUTHENTICATION, SERVER, APP …)')
    .option('--since <time>', 'only dead-lettered at or after this time (ISO 8601, e.g. 2026-12-04T09:00Z)');
  if (o.all) cmd.option('--all', o.all);
  return targetOptions(cmd.option('--json', 'print the JSON answer'));
}

/** The filters as the API takes them; a `--since` that is no time is a usage error. */
function filtersOf(o: FilterFlags): { recipe?: string; errorCode?: string; since?: string } {
  let since: string | undefined;
  if (o.since !== undefined) {
    const at = new Date(o.since);
    if (Number.isNaN(at.getTime())) throw new CliError(EXIT.usage, `--since: expected a time such as 2026-12-04T09:00:00Z, got "${o.since}"`);
    since = at.toISOString();
  }
  return { ...(o.recipe ? { recipe: o.recipe } : {}), ...(o.errorCode ? { errorCode: o.errorCode.toUpperCase() } : {}), ...(since ? { since } : {}) };
}

/** A run id, or a selection (filters, --all): exactly one of the two, else a usage error showing both forms. */
function target(command: 'replay' | 'dismiss', runId: string | undefined, o: FilterFlags, example: string): { path: string; body: Record<string, unknown> } {
  const filters = filtersOf(o);
  const selects = o.all || Object.keys(filters).length > 0;
  if ((runId === undefined) === !selects) throw new CliError(EXIT.usage, `give a run id, or --all or filters (--recipe, --error-code, --since), not both: ${example}`);
  if (runId !== undefined) {
    if (!/^\d+$/.test(runId)) throw new CliError(EXIT.usage, `runId: expected a run number, got "${runId}" (see \`ghl-bridge dlq list\`)`);
    return { path: `/dead-letters/${runId}/${command}`, body: {} };
  }
  return { path: `/dead-letters/${command}`, body: { ...filters, ...(o.all ? { all: true } : {}) } };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "v1 → v2" per recipe change, e.g. `20 runs v1 → v2`. */
function versionsLine(runs: ReplayedRun[]): string {
  const counts = new Map<string, number>();
  for (const r of runs) {
    const key = r.keptPlan ? `v${r.fromVersion} kept (an interrupted step: plan and journal kept)` : r.fromVersion === r.toVersion ? `v${r.toVersion}` : `v${r.fromVersion} → v${r.toVersion}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${plural(n, 'run')} ${k}`).join('; ');
}

/**
 * `ghl-bridge dlq list|show|replay|dismiss`: dead-lettered runs with what to do about them, their
 * replay (with the recipe's newest version, re-planned from the ledger, so nothing already
 * written is written twice) and their dismissal with a reason.
 *
 * @example
 * // ghl-bridge dlq replay --all --recipe app-signup
 * program.addCommand(dlqCommand());
 */
export function dlqCommand(): Command {
  const dlq = new Command('dlq').description('Dead letters: runs that failed for good, why, and their replay or dismissal');
  filterOptions(dlq.command('list').description('dead-lettered runs with their reasons, newest first').option('--limit <n>', 'at most this many', intFlag('limit', 1), 100)).action(
    async (o: FilterFlags & { limit: number }) => {
      const api = apiFrom(o);
      const items = await api.list<DeadLetter>('/dead-letters', filtersOf(o), o.limit);
      if (o.json) return printJson(items);
      if (items.length === 0) return print('no dead letters');
      print(runsTable(items, await recipeConnections(api)));
      print(`\n${plural(items.length, 'dead letter')}: \`ghl-bridge dlq show ${items[0]!.id}\` (or another ID) says why and what to do; fix the cause, then \`ghl-bridge dlq replay --all\` (or one run id, or --recipe)`);
    },
  );
  targetOptions(dlq.command('show').description('one dead letter: its cause, the fix, the command, and its history').argument('<runId>', 'run id').option('--json', 'print JSON')).action(
    async (runId: string, o: TargetFlags & { json?: boolean }) => {
      if (!/^\d+$/.test(runId)) throw new CliError(EXIT.usage, `runId: expected a run number, got "${runId}" (see \`ghl-bridge dlq list\`)`);
      const shown = await apiFrom(o).get<{ run: RunSummary & { dismissedReason: string | null }; explanation: DeadLetterExplanation | null; history: RunHistoryEntry[] }>(`/dead-letters/${runId}`);
      if (o.json) return printJson(shown);
      const { run, explanation } = shown;
      print(`run ${run.id}  ${status(run.status)}  recipe ${run.recipeId}@${run.recipeVersion}  record ${run.recordKey ?? '-'}  tries ${run.attempts}`);
      if (run.dismissedReason) print(`dismissed: ${run.dismissedReason}`);
      if (explanation) {
        print(paint('red', `cause:   ${explanation.cause}`));
        print(`fix:     ${explanation.fix}`);
        if (explanation.command) print(`command: ${explanation.command}`);
      }
      print('history:');
      if (shown.history.length === 0) print('  (none)');
      for (const h of shown.history) print(`  ${when(h.at)}  ${h.action}${h.actor ? ` by ${h.actor}` : ''}  ${JSON.stringify(h.detail)}`);
    },
  );
  filterOptions(
    dlq
      .command('replay')
      .description("replay dead letters (one, by filter, or all) with each recipe's newest version")
      .argument('[runId]', 'the run to replay')
      .option('--original-version', 'keep the recipe version each run used'),
    { all: 'replay every dead letter (filters still narrow it)' },
  ).action(async (runId: string | undefined, o: FilterFlags & { originalVersion?: boolean }) => {
    const t = target('replay', runId, o, 'ghl-bridge dlq replay 42 | ghl-bridge dlq replay --all [--recipe X]');
    const r = await apiFrom(o).post<{ replayed: number[]; runs: ReplayedRun[] }>(t.path, { ...t.body, ...(o.originalVersion ? { originalVersion: true } : {}) });
    if (o.json) return printJson(r);
    if (r.replayed.length === 0) return print('no dead letters to replay');
    print(`replayed ${plural(r.replayed.length, 'run')}: ${r.replayed.join(', ')}`);
    print(`versions: ${versionsLine(r.runs)} (queued again; follow with \`ghl-bridge runs list\`)`);
  });
  filterOptions(
    dlq
      .command('dismiss')
      .description('dismiss dead letters (one, by filter, or all) with a reason: they are kept and never run')
      .argument('[runId]', 'the run to dismiss')
      .requiredOption('--reason <text>', 'why (kept with the run and in its history)'),
    { all: 'dismiss every dead letter (filters still narrow it)' },
  ).action(async (runId: string | undefined, o: FilterFlags & { reason: string }) => {
    const t = target('dismiss', runId, o, 'ghl-bridge dlq dismiss 42 --reason "…" | ghl-bridge dlq dismiss --recipe X --reason "…"');
    if (o.reason.trim() === '') throw new CliError(EXIT.usage, '--reason: say why the dead letter is dismissed');
    const r = await apiFrom(o).post<{ dismissed: number[] }>(t.path, { ...t.body, reason: o.reason });
    if (o.json) return printJson(r);
    print(r.dismissed.length === 0 ? 'no dead letters to dismiss' : `dismissed ${plural(r.dismissed.length, 'run')}: ${r.dismissed.join(', ')}`);
  });
  return dlq;
}
