import { Command } from 'commander';
import { apiFrom, resolveTarget, targetOptions, type TargetFlags } from './api.js';
import { print, printJson } from './output.js';

/**
 * `ghl-bridge console-link`: a one-time link that signs a browser in to the console (used once,
 * valid 10 minutes), asked of the running server with the admin token: for a server started
 * without a terminal, whose start printed none.
 *
 * @example
 * // ghl-bridge console-link --next /runs?status=dead
 * program.addCommand(consoleLinkCommand());
 */
export function consoleLinkCommand(): Command {
  return targetOptions(
    new Command('console-link')
      .description('print a one-time link that signs a browser in to the console (10 minutes, used once)')
      .option('--next <path>', 'the console page to land on, e.g. /runs', '/')
      .option('--json', 'print { url, expiresAt }'),
  ).action(async (o: TargetFlags & { next: string; json?: boolean }) => {
    const link = await apiFrom(o).post<{ url: string; expiresAt: string }>('/login-links', { next: o.next });
    const url = new URL(link.url, `${resolveTarget(o).url}/`).toString();
    if (o.json) return printJson({ url, expiresAt: link.expiresAt });
    print(url);
  });
}
