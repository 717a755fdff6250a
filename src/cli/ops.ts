import { Command } from 'commander';
import { ALL_CONNECTORS, buildCatalog, type CatalogEntry } from '../connectors/index.js';
import { CliError, EXIT } from './errors.js';

function table(entries: CatalogEntry[]): string {
  const rows = entries.map((e) => [e.id, e.kind === 'trigger' ? e.type : 'action', e.endpoint, e.scope ?? '', e.title]);
  const head = ['ID', 'KIND', 'ENDPOINT', 'SCOPE', 'TITLE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

/** `ghl-bridge ops list [--app X] [--json]`: the operations catalog. */
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
  return ops;
}
