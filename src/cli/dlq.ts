import { Command } from 'commander';
import type { RunSummary } from '../server/queries/runs.js';
import { apiFrom, targetOptions, type TargetFlags } from './api.js';
import { CliError, EXIT } from './errors.js';
import { intFlag } from './lifecycle.js';
import { print, printJson } from './output.js';
import { recipeConnections, runsTable } from './runs.js';

/**
 * `ghl-bridge dlq list|replay`: dead-lettered runs with what to do about them, and their replay
 * (re-planned from the ledger, so nothing already written is written twice).
 *
 * @example
 * // ghl-bridge dlq replay --all
 * program.addCommand(dlqCommand());
 */
export function dlqCommand(): Command {
  const dlq = new Command('dlq').description('Dead letters: runs that failed for good, and their replay');
  targetOptions(
    dlq
      .command('list')
      .description('dead-lettered runs with their reasons, newest first')
      .option('--recipe <id>', 'only this recipe')
      .option('--limit <n>', 'at most this many', intFlag('limit', 1), 100)
      .option('--json', 'print a JSON array'),
  ).action(async (o: TargetFlags & { recipe?: string; limit: number; json?: boolean }) => {
    const api = apiFrom(o);
    const items = await api.list<RunSummary>('/dead-letters', { recipe: o.recipe }, o.limit);
    if (o.json) return printJson(items);
    if (items.length === 0) return print('no dead letters');
    print(runsTable(items, await recipeConnections(api)));
    print(`\n${items.length} dead letter${items.length === 1 ? '' : 's'}: fix the cause, then \`ghl-bridge dlq replay --all\` (or one run id)`);
  });
  targetOptions(
    dlq
      .command('replay')
      .description('replay one dead-lettered run, or all of them')
      .argument('[runId]', 'the run to replay')
      .option('--all', 'replay every dead letter')
      .option('--json', 'print { replayed: [ids] }'),
  ).action(async (runId: string | undefined, o: TargetFlags & { all?: boolean; json?: boolean }) => {
    if ((runId === undefined) === !o.all) throw new CliError(EXIT.usage, 'give a run id or --all (not both): ghl-bridge dlq replay 42 | ghl-bridge dlq replay --all');
    if (runId !== undefined && !/^\d+$/.test(runId)) throw new CliError(EXIT.usage, `runId: expected a run number, got "${runId}" (see \`ghl-bridge dlq list\`)`);
    const api = apiFrom(o);
    const r = await api.post<{ replayed: number[] }>(runId ? `/dead-letters/${runId}/replay` : '/dead-letters/replay');
    if (o.json) return printJson(r);
    print(r.replayed.length === 0 ? 'no dead letters to replay' : `replayed ${r.replayed.length} run${r.replayed.length === 1 ? '' : 's'}: ${r.replayed.join(', ')} (queued again; follow with \`ghl-bridge runs list\`)`);
  });
  return dlq;
}
