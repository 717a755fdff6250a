import { Command } from 'commander';
import { apiFrom, targetOptions, type TargetFlags } from './api.js';
import { credentialsAdvice } from '../connectors/ghl/credentials-advice.js';
import { CliError, EXIT } from './errors.js';
import { paint, print, printJson, table, when } from './output.js';

const APPS = ['ghl-location', 'ghl-agency', 'recruitee', 'connecteam', 'webhook', 'erp'] as const;

interface ConnectionSummary {
  id: string;
  app: string;
  name: string;
  config: Record<string, unknown>;
  hasSecrets: boolean;
  createdAt: string;
}

function secretPair(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const i = value.indexOf('=');
  if (i <= 0) throw new CliError(EXIT.usage, '--secret: expected key=value (e.g. --secret pit=…); repeat it for several');
  return { ...previous, [value.slice(0, i)]: value.slice(i + 1) };
}

/**
 * `ghl-bridge connections add|test|list|remove`. Secrets go in with `--secret key=value` and never
 * come back out (the server lists connections without them).
 *
 * @example
 * // ghl-bridge connections add --app erp --name ERP --id erp-main --config '{"baseUrl":"https://erp.example.com"}' --secret apiKey=…
 * program.addCommand(connectionsCommand());
 */
export function connectionsCommand(): Command {
  const connections = new Command('connections').description('App accounts: GHL locations, Recruitee, Connecteam, your app, the ERP');

  targetOptions(
    connections
      .command('add')
      .description('add a connection (its secrets are sealed at rest and never shown again)')
      .requiredOption('--app <app>', `one of ${APPS.join(', ')}`)
      .requiredOption('--name <name>', 'a name for people')
      .option('--id <id>', 'its id (recipes name it; default a random one)')
      .option('--config <json>', 'settings as a JSON object, e.g. \'{"locationId":"…","auth":"pit"}\'')
      .option('--secret <key=value>', 'a secret (repeatable), e.g. pit=…, apiKey=…, signingSecret=whsec_…', secretPair)
      .option('--json', 'print the created connection (no secrets) as JSON'),
    { configFlag: '--config-file' },
  ).action(async (o: Omit<TargetFlags, 'config'> & { configFile?: string; app: string; name: string; id?: string; config?: string; secret?: Record<string, string>; json?: boolean }) => {
    if (!(APPS as readonly string[]).includes(o.app)) throw new CliError(EXIT.usage, `--app: "${o.app}" is not one of ${APPS.join(', ')}`);
    let config: unknown;
    if (o.config !== undefined) {
      try {
        config = JSON.parse(o.config);
      } catch (e) {
        throw new CliError(EXIT.usage, `--config: not JSON (${(e as Error).message})`);
      }
      if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new CliError(EXIT.usage, '--config: expected a JSON object');
    }
    const created = await apiFrom({ config: o.configFile, url: o.url, token: o.token }).post<ConnectionSummary>('/connections', { ...(o.id ? { id: o.id } : {}), app: o.app, name: o.name, ...(config ? { config } : {}), ...(o.secret ? { secrets: o.secret } : {}) });
    if (o.json) return printJson(created);
    print(`added ${created.id} (${created.app}${created.hasSecrets ? ', secrets sealed' : ''}); check it with \`ghl-bridge connections test ${created.id}\``);
  });

  targetOptions(connections.command('test').description('one real read with the connection (GHL: search one contact)').argument('<id>', 'connection id').option('--json', 'print { ok, message, details? }')).action(
    async (id: string, o: TargetFlags & { json?: boolean }) => {
      const r = await apiFrom(o).post<{ ok: boolean; message: string; details?: unknown }>(`/connections/${encodeURIComponent(id)}/test`);
      if (o.json) printJson(r);
      else print(`${r.ok ? paint('green', 'ok') : paint('red', 'failed')}: ${r.message}`);
      if (!r.ok) process.exitCode = EXIT.failed;
    },
  );

  targetOptions(connections.command('list').description('connections (never their secrets)').option('--app <app>', 'only this app').option('--json', 'print a JSON array')).action(
    async (o: TargetFlags & { app?: string; json?: boolean }) => {
      const items = await apiFrom(o).list<ConnectionSummary & { needsReauth?: { reason: string; since: string } }>('/connections', { app: o.app });
      if (o.json) return printJson(items);
      if (items.length === 0) return print('no connections: add one with `ghl-bridge connections add`');
      print(table(['ID', 'APP', 'NAME', 'SECRETS', 'STATE', 'CREATED (UTC)', 'CONFIG'], items.map((c) => [c.id, c.app, c.name, c.hasSecrets ? 'sealed' : '-', c.needsReauth ? paint('red', 'needs re-authorization') : 'ok', when(c.createdAt), JSON.stringify(c.config)])));
      for (const c of items.filter((i) => i.needsReauth)) {
        print(`\n${c.id}: ${c.needsReauth!.reason} (since ${when(c.needsReauth!.since)}); its runs wait. Re-authorize: ${credentialsAdvice(c).text}`);
      }
    },
  );

  targetOptions(connections.command('remove').description('delete a connection and its OAuth tokens').argument('<id>', 'connection id').option('--json', 'print { deleted, id }')).action(
    async (id: string, o: TargetFlags & { json?: boolean }) => {
      const r = await apiFrom(o).delete<{ deleted: boolean; id: string }>(`/connections/${encodeURIComponent(id)}`);
      if (o.json) return printJson(r);
      print(`removed ${r.id}`);
    },
  );
  return connections;
}
