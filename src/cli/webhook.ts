import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { ApiRefused, apiFrom, targetOptions, type TargetFlags } from './api.js';
import { CliError, EXIT } from './errors.js';
import { print, printJson, status, warn } from './output.js';

/** What `POST /connections/{id}/webhook-test` answers. */
export interface WebhookTestAnswer {
  connectionId: string;
  scheme: string;
  type: string;
  source: string;
  delivered: boolean;
  status?: number;
  answer?: { ok: boolean; accepted?: number; duplicates?: number; error?: string; field?: string; message?: string };
  events?: Array<{ id: number; externalId: string; duplicate: boolean; runs: Array<{ id: number; recipeId: string; recipeVersion: number; status: string }> }>;
  request?: { url: string; headers: Record<string, string>; body: string };
}

interface SendFlags extends TargetFlags {
  payload: string;
  type?: string;
  id?: string;
  printCurl?: boolean;
  json?: boolean;
}

/** The payload file (or stdin for `-`) as a JSON object; anything else is a usage error naming --payload. */
export function readPayload(file: string, stdin: () => string = () => readFileSync(0, 'utf8')): Record<string, unknown> {
  let text: string;
  try {
    text = file === '-' ? stdin() : readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(EXIT.usage, `--payload ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new CliError(EXIT.usage, `--payload ${file}: not JSON (${(e as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new CliError(EXIT.usage, `--payload ${file}: expected a JSON object (the body your app sends), got ${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value}`);
  return value as Record<string, unknown>;
}

/** A shell-safe single-quoted word. */
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The signed request as one `curl` command (valid as long as the scheme's window, 5 minutes for
 * Standard Webhooks and Stripe-style).
 *
 * @example
 * curlOf({ url: 'http://127.0.0.1:8787/hooks/my-app', headers: { 'webhook-id': 'msg_1' }, body: '{}' });
 * // curl -sS -X POST 'http://127.0.0.1:8787/hooks/my-app' -H 'webhook-id: msg_1' --data-raw '{}'
 */
export function curlOf(request: { url: string; headers: Record<string, string>; body: string }): string {
  const headers = Object.entries(request.headers).map(([k, v]) => ` -H ${quote(`${k}: ${v}`)}`).join('');
  return `curl -sS -X POST ${quote(request.url)}${headers} --data-raw ${quote(request.body)}`;
}

function report(a: WebhookTestAnswer): void {
  const ok = a.status !== undefined && a.status >= 200 && a.status < 300;
  if (!ok) {
    const why = a.answer?.message ?? a.answer?.error ?? 'refused';
    throw new CliError(EXIT.failed, `the ingress of ${a.connectionId} answered ${a.status}: ${why}${a.answer?.field ? ` (field ${a.answer.field})` : ''}`);
  }
  print(`sent ${a.type} to ${a.connectionId} (${a.scheme}, signed by the server): ${a.status}, ${a.answer?.accepted ?? 0} stored, ${a.answer?.duplicates ?? 0} duplicate(s)`);
  const runs = (a.events ?? []).flatMap((e) => e.runs);
  for (const e of a.events ?? []) {
    print(`  event ${e.id} (${e.externalId})${e.duplicate ? ' was stored before: nothing new to run' : ''}`);
    for (const r of e.runs) print(`    run ${r.id}  ${r.recipeId} v${r.recipeVersion}  ${status(r.status)}`);
  }
  if (runs.length > 0) print(`Follow it: npx ghl-bridge runs show ${runs[0]!.id}`);
  else if ((a.events ?? []).some((e) => !e.duplicate)) warn(`no enabled recipe handles ${a.type} from source ${a.source}: see \`ghl-bridge recipes list\` (trigger source and events)`);
}

/**
 * `ghl-bridge webhook send <connectionId> --payload <file|->`: the server signs the payload with
 * the connection's own secret and scheme and delivers it to its own ingress, then says what the
 * ingress did (the stored event, a duplicate, the runs by recipe). The secret never leaves the
 * server. `--print-curl` prints the signed request as a `curl` instead of sending it.
 *
 * @example
 * // ghl-bridge webhook send my-app --payload data/examples/signup.json
 * program.addCommand(webhookCommand());
 */
export function webhookCommand(): Command {
  const webhook = new Command('webhook').description("Try a connection's webhook ingress");
  targetOptions(
    webhook
      .command('send <connectionId>')
      .description('sign a payload as the connection (app webhook) expects and deliver it to this server; prints the event and the runs it started')
      .requiredOption('--payload <file>', "the JSON body your app would send ('-' reads stdin)")
      .option('--type <type>', "the event type, written where the connection reads it (default: the payload's own)")
      .option('--id <messageId>', 'message id (default a new one; the same id twice shows a duplicate)')
      .option('--print-curl', 'print the signed request as a curl command (fresh signature, valid 5 minutes) instead of sending it')
      .option('--json', 'print the server\'s answer as JSON'),
  ).action(async (connectionId: string, o: SendFlags) => {
    const payload = readPayload(o.payload);
    const api = apiFrom(o);
    let answer: WebhookTestAnswer;
    try {
      answer = await api.post<WebhookTestAnswer>(`/connections/${encodeURIComponent(connectionId)}/webhook-test`, { payload, ...(o.type ? { type: o.type } : {}), ...(o.id ? { id: o.id } : {}), deliver: !o.printCurl });
    } catch (e) {
      // an unknown connection, one that is not a webhook connection, a payload without its type: the input is at fault
      if (e instanceof ApiRefused && (e.status === 404 || e.status === 422)) throw new CliError(EXIT.usage, e.message.replace(/^POST \S+: /, ''));
      throw e;
    }
    if (o.json) {
      printJson(answer);
      if (answer.delivered && !(answer.status! >= 200 && answer.status! < 300)) process.exitCode = EXIT.failed;
      return;
    }
    if (!answer.delivered) return print(curlOf(answer.request!));
    report(answer);
  });
  return webhook;
}
