import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { exportDatabase, importDatabase, openDatabase, openPostgres } from '../engine/db/index.js';

/** `ghl-bridge db export|import`: move the embedded database to a PostgreSQL server. */
export function dbCommand(): Command {
  const db = new Command('db').description('Export the engine database, or import an export (embedded → server)');
  db.command('export')
    .description('write every engine row as JSON lines (default: the embedded database in ./data/db)')
    .option('--data <dir>', 'embedded data directory', './data/db')
    .option('--url <url>', 'export from a PostgreSQL server instead')
    .option('--out <file>', 'write here instead of standard output')
    .action(async (o: { data: string; url?: string; out?: string }) => {
      const source = await openDatabase({ url: o.url, dataDir: o.data });
      const out: NodeJS.WritableStream = o.out ? createWriteStream(o.out, { mode: 0o600 }) : process.stdout;
      let rows = 0;
      for await (const line of exportDatabase(source)) {
        if (!out.write(`${line}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
        rows++;
      }
      if (o.out) await new Promise<void>((r) => out.end(() => r()));
      await source.close();
      process.stderr.write(`exported ${rows} rows\n`);
    });
  db.command('import')
    .description('import an export into an empty PostgreSQL database (migrated first)')
    .requiredOption('--url <url>', 'target PostgreSQL server, e.g. postgres://user@host:5432/ghl_bridge')
    .option('--in <file>', 'read from here instead of standard input')
    .action(async (o: { url: string; in?: string }) => {
      const target = openPostgres(o.url);
      const input = createInterface({ input: o.in ? createReadStream(o.in) : process.stdin, crlfDelay: Infinity });
      const counts = await importDatabase(target, input);
      await target.close();
      process.stderr.write(`imported ${JSON.stringify(counts)}; start the workers to pick up queued runs\n`);
    });
  return db;
}
