#!/usr/bin/env node
import { Command } from 'commander';
import { dbCommand } from './db.js';
import { opsCommand } from './ops.js';
import { sandboxCommand } from './sandbox.js';

const program = new Command();
program.name('ghl-bridge').description('Keep HighLevel contacts in step with your business apps.').version('0.1.0');
program.addCommand(sandboxCommand());
program.addCommand(dbCommand());
program.addCommand(opsCommand());
program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`ghl-bridge: ${(error as Error).message}\n`);
  process.exit(1);
});
