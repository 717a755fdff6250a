import { z } from 'zod';
import { alertsSchema } from './alerts.js';
import { strict } from '../engine/recipes/schema-values.js';

/**
 * The configuration file (`ghl-bridge.yaml`): everything but secrets, which come from the
 * environment (`GHL_BRIDGE_SECRET_KEY`, `GHL_BRIDGE_ADMIN_TOKEN`, `GHL_CLIENT_SECRET`,
 * `DATABASE_URL`) or, for the key and the admin token, from files under `dataDir` created with
 * mode 0600 on `init`. Every object is strict: a typo is an error with its path.
 */
const url = z.url({ error: 'expected an absolute URL, e.g. http://127.0.0.1:8787' });

/**
 * Why a database URL is not a PostgreSQL one, or null. Only its scheme is ever quoted: the rest
 * may hold a password.
 *
 * @example
 * postgresUrlProblem('mysql://root:pw@db/app'); // 'expected postgres://user@host:5432/db (a PostgreSQL server), got a mysql:// URL'
 */
export function postgresUrlProblem(value: string): string | null {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]{0,19}):\/\//.exec(value)?.[1];
  if (scheme !== undefined && /^postgres(ql)?$/i.test(scheme) && URL.canParse(value)) return null;
  const got = scheme === undefined ? 'text that is not a URL' : /^postgres(ql)?$/i.test(scheme) ? 'a postgres:// URL that does not parse (a character in the password to percent-encode?)' : `a ${scheme.toLowerCase()}:// URL`;
  return `expected postgres://user@host:5432/db (a PostgreSQL server), got ${got}`;
}

const postgresUrl = z.string().superRefine((value, ctx) => {
  const problem = postgresUrlProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const configSchema = strict({
  dataDir: z.string().min(1).default('./data').describe('Embedded database, secret key file and admin token file live here'),
  database: strict({ url: postgresUrl.optional().describe('A PostgreSQL server (or env DATABASE_URL); absent: embedded PGlite in <dataDir>/db') }).default({}),
  server: strict({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8787),
    publicUrl: url.optional().describe('How apps and browsers reach this server (webhook URLs, the OAuth redirect); default http://<host>:<port>'),
    bodyLimit: z.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
    rejections: strict({
      perMinute: z.number().int().min(1).max(10_000).default(30).describe('Refused webhook deliveries recorded one by one per connection per minute; the rest are counted'),
      retentionDays: z.number().int().min(1).max(3650).default(14).describe('Refused deliveries and replays are deleted after this many days'),
    }).default({ perMinute: 30, retentionDays: 14 }),
  }).default({ host: '127.0.0.1', port: 8787, bodyLimit: 1024 * 1024, rejections: { perMinute: 30, retentionDays: 14 } }),
  ghl: strict({
    baseUrl: url.default('https://services.leadconnectorhq.com'),
    authorizeBaseUrl: url.optional().describe('Host of the authorize page (default HighLevel marketplace; the sandbox URL in the demo)'),
    oauth: strict({
      clientId: z.string().min(1),
      redirectUri: url.optional().describe('default <publicUrl>/oauth/callback'),
      scopes: z.array(z.string().min(1)).default(['contacts.readonly', 'contacts.write']),
    }).optional().describe('Your marketplace app; its client secret comes from env GHL_CLIENT_SECRET'),
  }).default({ baseUrl: 'https://services.leadconnectorhq.com' }),
  workers: strict({
    concurrency: z.number().int().min(1).max(256).optional().describe('Runs worked at once per process (default 16 embedded, 32 on a server)'),
    batchSize: z.number().int().min(1).max(256).optional().describe('Most runs claimed by one statement (default 16)'),
    pollingIntervalSeconds: z.number().min(0.05).max(60).optional().describe('Longest sleep on an empty queue; new runs wake workers at once (default 0.5)'),
    leaseSeconds: z.number().int().min(5).max(3600).optional().describe("A worker's claim on a run, renewed while it works; a dead worker's runs are taken again after it (default 30)"),
  }).default({}),
  recipes: strict({
    dir: z.string().min(1).default('./recipes'),
    only: z.array(z.string().min(1)).optional().describe('Load only these recipe ids (default: every file in dir)'),
  }).default({ dir: './recipes' }),
  log: strict({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info') }).default({ level: 'info' }),
  demo: z.boolean().default(false).describe('Run the GHL sandbox and the app fakes in this process, with sample events'),
  alerts: alertsSchema.default(alertsSchema.parse({})),
  metrics: strict({
    tokenEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional().describe('env var holding a bearer token that GET /metrics then requires'),
  }).default({}),
});

export type ConfigFile = z.input<typeof configSchema>;
export type ResolvedConfigFile = z.output<typeof configSchema>;
