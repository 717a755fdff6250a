#!/usr/bin/env node
/**
 * `ghl-bridge`: the command line. Exit codes: 0 ok, 1 the operation failed, 2 usage or
 * configuration error, 3 the server is unreachable, 4 the admin token was refused.
 */
import { Command, CommanderError } from 'commander';
import { alertsCommand } from './alerts.js';
import { connectCommand } from './connect.js';
import { connectionsCommand } from './connections.js';
import { dbCommand } from './db.js';
import { demoCommand } from './demo.js';
import { dlqCommand } from './dlq.js';
import { CliError, EXIT } from './errors.js';
import { incidentsCommand } from './incidents.js';
import { consoleLinkCommand } from './console-link.js';
import { initCommand } from './init.js';
import { opsCommand } from './ops.js';
import { recipesCommand } from './recipes.js';
import { runsCommand } from './runs.js';
import { sandboxCommand } from './sandbox.js';
import { startCommand } from './start.js';
import { syncCommand } from './sync.js';
import { webhookCommand } from './webhook.js';
import { workerCommand } from './worker.js';

const program = new Command();
program
  .name('ghl-bridge')
  .description('Keep HighLevel contacts in step with your business apps.')
  .version('0.1.0')
  // program options only before the command: `recipes show <id> --version 2` is the recipe's version, not the CLI's
  .enablePositionalOptions()
  .addHelpText('after', '\nExit codes: 0 ok, 1 operation failed, 2 usage or configuration error, 3 server unreachable, 4 admin token refused.');
for (const command of [
  initCommand(),
  startCommand(),
  workerCommand(),
  demoCommand(),
  sandboxCommand(),
  connectionsCommand(),
  connectCommand(),
  webhookCommand(),
  recipesCommand(),
  runsCommand(),
  dlqCommand(),
  incidentsCommand(),
  consoleLinkCommand(),
  syncCommand(),
  opsCommand(),
  alertsCommand(),
  dbCommand(),
]) {
  program.addCommand(command);
}

/** Commander's own refusals (unknown option, missing argument) exit 2 rather than 1, on every subcommand. */
function usageExits(cmd: Command): void {
  cmd.exitOverride();
  for (const sub of cmd.commands) usageExits(sub);
}
usageExits(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    // help and --version are not errors; commander already printed its message
    process.exit(error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : EXIT.usage);
  }
  if (error instanceof CliError) {
    process.stderr.write(`ghl-bridge: ${error.message}\n${error.details.map((d) => `${d}\n`).join('')}`);
    process.exit(error.exitCode);
  }
  process.stderr.write(`ghl-bridge: ${(error as Error).message}\n`);
  process.exit(EXIT.failed);
});
