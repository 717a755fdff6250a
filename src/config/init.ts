import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { loadKeyring } from '../engine/connections/index.js';
import { readConfigFile } from './read-file.js';

/** The commented configuration `init` writes. */
export const CONFIG_TEMPLATE = `# ghl-bridge configuration. Secrets never go here: they come from the environment
# (GHL_BRIDGE_SECRET_KEY, GHL_BRIDGE_ADMIN_TOKEN, GHL_CLIENT_SECRET, DATABASE_URL) or from files
# under dataDir that \`ghl-bridge init\` creates with mode 0600.

# Embedded database (<dataDir>/db), secret key (<dataDir>/secret.key), admin token (<dataDir>/admin.token).
dataDir: ./data

# A PostgreSQL server instead of the embedded database (or set DATABASE_URL), for several workers:
# database:
#   url: postgres://ghl_bridge@127.0.0.1:5432/ghl_bridge

server:
  host: 127.0.0.1       # keep loopback behind a reverse proxy that terminates TLS
  port: 8787
  # publicUrl: https://bridge.example.com   # how apps and browsers reach this server
  bodyLimit: 1048576    # largest webhook body, bytes
  # rejections:         # refused webhook deliveries: recorded one by one up to perMinute per connection, then counted
  #   perMinute: 30
  #   retentionDays: 14

ghl:
  baseUrl: https://services.leadconnectorhq.com
  # Your marketplace app, to connect locations by OAuth (\`ghl-bridge connect ghl\` prints a one-time link). Client secret: env GHL_CLIENT_SECRET.
  # oauth:
  #   clientId: 6xxxxxxxxxxxxxxxxxxxxxxx-xxxxxxxx
  #   redirectUri: https://bridge.example.com/oauth/callback   # default <publicUrl>/oauth/callback
  #   scopes: [contacts.readonly, contacts.write]

# Defaults suit the database: 16 runs at once embedded, 32 per process on a PostgreSQL server.
# workers:
  # concurrency: 16          # runs worked at once in this process
  # batchSize: 16            # most runs claimed by one statement
  # pollingIntervalSeconds: 0.5   # longest sleep on an empty queue (new runs wake workers at once)
  # leaseSeconds: 30         # a claim not renewed for this long lapses: a dead worker's runs are taken again

recipes:
  dir: ./recipes
  # only: [recruitee-candidates, recruitee-stages]

log:
  level: info

# Alerts: where incidents are sent (see the README, "Alerts"). Secrets stay in the environment,
# named here; try a channel with \`ghl-bridge alerts test <name>\`.
# alerts:
#   channels:
#     ops-mail:
#       type: email
#       to: [ops@example.com]
#       from: ghl-bridge@example.com
#       smtp: { host: smtp.example.com, port: 587, secure: false, userEnv: SMTP_USER, passwordEnv: SMTP_PASSWORD }
#     team-chat:
#       type: slack
#       urlEnv: SLACK_ALERTS_URL          # the incoming-webhook URL is a secret
#     pager:
#       type: webhook                     # signed with Standard Webhooks
#       url: https://hooks.example.com/ghl-bridge
#       secretEnv: ALERTS_WEBHOOK_SECRET  # whsec_…
#   default: [ops-mail, team-chat]        # channels of every rule that names none
#   digest: off                           # hourly | daily: one message listing the open incidents

# Run the GHL sandbox and the app fakes in this process, with a stream of sample events.
demo: false
`;

export interface InitResult {
  configFile: string;
  /** false when the file was already there (it is never overwritten) */
  wroteConfig: boolean;
  /** the data directory used: the existing file's `dataDir` when the file was kept, else the one given */
  dataDir: string;
  keyFile: string;
  keySource: 'env' | 'file' | 'created';
  adminTokenFile: string;
  /** only when this call created it (shown once) */
  adminToken: string | null;
}

/** The `dataDir` an existing config file names (the schema's default `./data` when it names none). */
async function dataDirOf(configFile: string): Promise<string> {
  const read = readConfigFile(configFile);
  if (!read.ok) throw new Error(`${read.problems.join('; ')}; fix it (or remove it) and run init again`);
  const data = read.data;
  const dataDir = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>).dataDir : undefined;
  if (dataDir === undefined) return './data';
  if (typeof dataDir !== 'string' || dataDir === '') throw new Error(`${configFile}: dataDir: expected a folder path`);
  return dataDir;
}

/**
 * Writes the commented config file (never overwriting one), creates the secret key file and an
 * admin token file (mode 0600) unless they exist. When the file exists, its `dataDir` is the one
 * used (the server will look there), whatever `dataDir` was given.
 *
 * @example
 * const r = await initConfig({ configFile: 'ghl-bridge.yaml', dataDir: './data' });
 */
export async function initConfig(options: { configFile: string; dataDir: string }): Promise<InitResult> {
  const configFile = resolve(options.configFile);
  let wroteConfig = false;
  let named = options.dataDir;
  if (!existsSync(configFile)) {
    await mkdir(dirname(configFile), { recursive: true });
    await writeFile(configFile, CONFIG_TEMPLATE.replace('dataDir: ./data', `dataDir: ${options.dataDir}`), { flag: 'wx' });
    wroteConfig = true;
  } else {
    named = await dataDirOf(configFile);
  }
  // relative to the file's folder, as loadConfig reads it
  const dataDir = resolve(dirname(configFile), named);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const keyFile = join(dataDir, 'secret.key');
  const { source } = await loadKeyring({ keyFile });
  const adminTokenFile = join(dataDir, 'admin.token');
  const adminToken = await ensureAdminToken(adminTokenFile);
  return { configFile, wroteConfig, dataDir, keyFile, keySource: source, adminTokenFile, adminToken: adminToken.created ? adminToken.token : null };
}

/** Reads the admin token file, creating it (mode 0600, exclusively) with a random token when absent. */
export async function ensureAdminToken(file: string): Promise<{ token: string; created: boolean }> {
  try {
    const token = (await readFile(file, 'utf8')).trim();
    if (token.length >= 24) return { token, created: false };
    throw new Error(`${file} holds no usable admin token (at least 24 characters); delete it to get a new one`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const token = `gbat_${randomBytes(24).toString('base64url')}`;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  try {
    const handle = await open(file, 'wx', 0o600);
    await handle.writeFile(`${token}\n`);
    await handle.close();
    return { token, created: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return ensureAdminToken(file);
  }
}
