import { Command } from 'commander';
import { apiFrom, targetOptions, type TargetFlags } from './api.js';
import { print, printJson, warn } from './output.js';

interface ConnectLink {
  url: string;
  expiresAt: string;
  connectionId: string | null;
}

/**
 * `ghl-bridge connect ghl [--connection id]`: asks the server (admin token) for a single-use,
 * short-lived link that connects a GHL location by OAuth, and prints it. Only such a link starts
 * `/connect/ghl`, so nobody else can bind a location to this bridge.
 *
 * @example
 * // ghl-bridge connect ghl --connection ghl-main
 * program.addCommand(connectCommand());
 */
export function connectCommand(): Command {
  const connect = new Command('connect').description('Connect an account by OAuth through a link you open in a browser');
  targetOptions(
    connect
      .command('ghl')
      .description('print a single-use link (valid 15 minutes) that connects a GHL location (needs ghl.oauth in the server config)')
      .option('--connection <id>', 'the connection it fills (default ghl-main when absent, else ghl-<locationId>); an existing GHL connection is re-authorized')
      .option('--json', 'print { url, expiresAt, connectionId }'),
  ).action(async (o: TargetFlags & { connection?: string; json?: boolean }) => {
    const link = await apiFrom(o).post<ConnectLink>('/connect/ghl', o.connection ? { connectionId: o.connection } : {});
    if (o.json) return printJson(link);
    warn(`Open this link in a browser, sign in to HighLevel and choose the location. It works once, until ${link.expiresAt}${link.connectionId ? `, and fills connection ${link.connectionId}` : ''}:`);
    print(link.url);
  });
  return connect;
}
