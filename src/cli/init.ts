import { dirname, relative, resolve } from 'node:path';
import { Command } from 'commander';
import { DEFAULT_CONFIG_FILE, initConfig } from '../config/index.js';
import { CliError, EXIT } from './errors.js';
import { paint, print, warn } from './output.js';

/**
 * `ghl-bridge init`: the commented config file, the secret key and the admin token (shown once,
 * only when this call created it), then what to do next.
 *
 * @example
 * // ghl-bridge init --config ghl-bridge.yaml --data ./data
 * program.addCommand(initCommand());
 */
export function initCommand(): Command {
  return new Command('init')
    .description('Write a commented config file, a secret key and an admin token (never overwrites)')
    .option('--config <file>', 'configuration file to write', DEFAULT_CONFIG_FILE)
    .option('--data <dir>', 'data directory (embedded database, secret key, admin token) for a new config file; an existing file\'s dataDir is used', './data')
    .option('--json', 'print one JSON line: { configFile, wroteConfig, dataDir, keyFile, keySource, adminTokenFile, adminToken }')
    .action(async (o: { config: string; data: string; json?: boolean }, cmd: Command) => {
      const r = await initConfig({ configFile: o.config, dataDir: o.data }).catch((e: unknown) => {
        throw new CliError(EXIT.usage, (e as Error).message);
      });
      // the server reads the file's dataDir: a --data that differs would not be where it looks
      if (!r.wroteConfig && cmd.getOptionValueSource('data') === 'cli' && resolve(dirname(r.configFile), o.data) !== r.dataDir) warn(`--data ignored: ${o.config} exists and names dataDir ${r.dataDir}`);
      if (o.json) {
        process.stdout.write(`${JSON.stringify(r)}\n`);
        return;
      }
      const show = (p: string) => relative(process.cwd(), p) || p;
      print(r.wroteConfig ? `wrote ${show(r.configFile)} (commented; secrets never go there)` : `kept ${show(r.configFile)} (it exists; never overwritten); its data directory: ${show(r.dataDir)}`);
      print(
        r.keySource === 'created'
          ? `created the secret key ${show(r.keyFile)} (mode 0600): back it up; without it stored connection secrets cannot be read`
          : r.keySource === 'env'
            ? 'secret key: env GHL_BRIDGE_SECRET_KEY'
            : `kept the secret key ${show(r.keyFile)}`,
      );
      if (r.adminToken) {
        print(`created the admin token ${show(r.adminTokenFile)} (mode 0600). It is shown this once:`);
        print(`  ${paint('bold', r.adminToken)}`);
      } else {
        print(`kept the admin token ${show(r.adminTokenFile)}`);
      }
      const cfg = r.configFile === `${process.cwd()}/${DEFAULT_CONFIG_FILE}` ? '' : ` --config ${show(r.configFile)}`;
      print('');
      print('Next:');
      print(`  1. edit ${show(r.configFile)} (ghl.baseUrl, server.publicUrl, recipes.dir)`);
      print(`  2. ghl-bridge start${cfg}`);
      print(`  3. ghl-bridge connections add${cfg} --app ghl-location --name "My location" --id ghl-main --config '{"locationId":"…","auth":"pit"}' --secret pit=…`);
      print('  or try everything locally first: ghl-bridge demo');
    });
}
