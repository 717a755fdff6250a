import { Command, InvalidArgumentError, Option } from 'commander';
import { createSandbox, parseFaultFlag, type FaultRule } from '../sandbox/index.js';

function int(name: string, min: number) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
    return n;
  };
}

function rateLimit(value: string): { enabled: boolean; max?: number; intervalMs?: number } {
  if (value === 'off') return { enabled: false };
  const m = /^(\d+)\/(\d+)$/.exec(value);
  if (!m) throw new InvalidArgumentError('use off or MAX/INTERVAL_MS, e.g. 100/10000');
  return { enabled: true, max: Number(m[1]), intervalMs: Number(m[2]) };
}

function fault(value: string, previous: FaultRule[] = []): FaultRule[] {
  try {
    return [...previous, parseFaultFlag(value)];
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** `ghl-bridge sandbox`: starts the local HighLevel stand-in. */
export function sandboxCommand(): Command {
  return new Command('sandbox')
    .description('Start the local GHL sandbox (Contacts API v2 + OAuth)')
    .option('--port <n>', 'port to listen on (0 = any free port)', int('port', 0), 8790)
    .option('--host <host>', 'address to bind (keep loopback: admin endpoints have no auth)', '127.0.0.1')
    .option('--seed <file>', 'seed file (JSON) instead of the default agency')
    .option('--data <file>', 'persist the state to this file and resume from it')
    .option('--json', 'print one JSON line with url, ids, PIT and OAuth client, then serve')
    .option('--rate-limit <spec>', 'burst limit: MAX/INTERVAL_MS, or off', rateLimit)
    .option('--daily-limit <n>', 'daily request limit per app per location', int('daily-limit', 1))
    .option('--token-ttl <seconds>', 'access token lifetime', int('token-ttl', 1))
    .option('--body-limit <bytes>', 'largest request body', int('body-limit', 1))
    .option('--legacy-signature', 'also sign webhooks with RSA x-wh-signature')
    .option('--webhook-url <url>', 'webhook URL of the default app')
    .addOption(new Option('--fault <rule>', 'inject faults: JSON or key=value pairs, e.g. path=/contacts/**,status=503,rate=0.2 (repeatable)').argParser(fault))
    .action(async (opts: {
      port: number; host: string; seed?: string; data?: string; json?: boolean; rateLimit?: { enabled: boolean; max?: number; intervalMs?: number };
      dailyLimit?: number; tokenTtl?: number; bodyLimit?: number; legacySignature?: boolean; webhookUrl?: string; fault?: FaultRule[];
    }) => {
      const sandbox = await createSandbox({
        port: opts.port,
        host: opts.host,
        seed: opts.seed,
        dataFile: opts.data,
        faults: opts.fault,
        config: {
          rateLimit: { ...opts.rateLimit, ...(opts.dailyLimit ? { daily: opts.dailyLimit } : {}) },
          ...(opts.tokenTtl ? { accessTokenTtlSeconds: opts.tokenTtl } : {}),
          ...(opts.bodyLimit ? { bodyLimitBytes: opts.bodyLimit } : {}),
          webhooks: opts.legacySignature ? { legacySignature: true } : {},
        },
      });
      if (opts.webhookUrl) {
        const app = Object.values(sandbox.core.store.state.apps)[0];
        if (app) app.webhookUrl = opts.webhookUrl;
      }
      const info = sandbox.info();
      if (opts.json) {
        const { locations: _l, ...line } = info;
        process.stdout.write(`${JSON.stringify(line)}\n`);
      } else {
        process.stdout.write(
          [
            `GHL sandbox listening on ${info.url}`,
            `  location   ${info.locationId} (company ${info.companyId})`,
            `  PIT        ${info.pit}`,
            `  OAuth      client_id ${info.clientId}`,
            `             authorize ${info.url}/v2/oauth/chooselocation?response_type=code&client_id=${info.clientId}&redirect_uri=${encodeURIComponent(info.redirectUri)}`,
            `  admin      ${info.url}/_sandbox`,
            `Try: curl -H "Authorization: Bearer ${info.pit}" -H "Version: 2021-07-28" "${info.url}/contacts/?locationId=${info.locationId}"`,
            '',
          ].join('\n'),
        );
      }
      const stop = () => {
        void sandbox.close().then(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
}
