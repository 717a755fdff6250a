import { Command } from 'commander';
import { findEntry } from '../connectors/catalog-fields.js';
import { ALL_CONNECTORS, buildCatalog, type CatalogEntry } from '../connectors/index.js';
import { CliError, EXIT } from './errors.js';
import { renderEntry } from './ops-show.js';

function table(entries: CatalogEntry[]): string {
  const rows = entries.map((e) => [e.id, e.kind === 'trigger' ? e.type : 'action', e.endpoint, e.scope ?? '', e.title]);
  const head = ['ID', 'KIND', 'ENDPOINT', 'SCOPE', 'TITLE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

/** `ghl-bridge ops list [--app X] [--json]` and `ops show <id> [--sample] [--json]`: the operations catalog (local, no server). */
export function opsCommand(): Command {
  const ops = new Command('ops').description('The operations catalog: every trigger and action of every connector');
  ops
    .command('list')
    .description('list triggers and actions (with --json: their input and output JSON Schemas too)')
    .option('--app <app>', `only one app (${ALL_CONNECTORS.map((c) => c.app).join(', ')})`)
    .option('--json', 'print JSON')
    .action((o: { app?: string; json?: boolean }) => {
      const apps = ALL_CONNECTORS.map((c) => c.app);
      if (o.app && !apps.includes(o.app)) throw new CliError(EXIT.usage, `--app: unknown app "${o.app}"; choose one of ${apps.join(', ')}`);
      const entries = buildCatalog(ALL_CONNECTORS).filter((e) => !o.app || e.app === o.app);
      if (o.json) process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      else process.stdout.write(`${table(entries)}\n\n${entries.length} operations (${entries.filter((e) => e.kind === 'trigger').length} triggers, ${entries.filter((e) => e.kind === 'action').length} actions)\n`);
    });
  ops
    .command('show')
    .description('one trigger or action: endpoint, scope, events, schemas and its sample (triggers) or example input (actions)')
    .argument('<id>', 'operation id, e.g. recruitee.candidate.created (see `ops list`)')
    .option('--sample', "print only the sample event's payload (triggers) or the example input (actions), as JSON: ready for `recipes dry-run --payload`")
    .option('--json', 'print the whole entry as JSON (full schemas, every sample)')
    .addHelpText('after', '\nExample:\n  ghl-bridge ops show recruitee.candidate.created --sample > event.json\n  ghl-bridge recipes dry-run recruitee-candidates --payload event.json --type candidate.created')
    .action((id: string, o: { sample?: boolean; json?: boolean }) => {
      const found = findEntry(buildCatalog(ALL_CONNECTORS), id);
      if (!found.ok) throw new CliError(EXIT.usage, found.message);
      const { entry } = found;
      if (o.sample) {
        const value = entry.kind === 'trigger' ? entry.sample?.payload : entry.example;
        if (value === undefined) throw new CliError(EXIT.failed, `${entry.id} has no ${entry.kind === 'trigger' ? 'sample' : 'example'}`);
        process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      } else if (o.json) process.stdout.write(`${JSON.stringify(entry, null, 2)}\n`);
      else process.stdout.write(renderEntry(entry));
    });
  return ops;
}
