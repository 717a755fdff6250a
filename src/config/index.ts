/**
 * Configuration: one YAML file plus environment variables for secrets, validated at start with
 * every problem listed at once.
 *
 * @example
 * const result = loadConfig({ file: 'ghl-bridge.yaml' });
 * if (!result.ok) { for (const p of result.problems) console.error(p); process.exit(2); }
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { toRecipeIssues } from '../engine/recipes/schema-errors.js';
import { capLines } from '../engine/text/cap.js';
import { readConfigFile } from './read-file.js';
import { configSchema, postgresUrlProblem, type ResolvedConfigFile } from './schema.js';

export { configSchema, type ConfigFile, type ResolvedConfigFile } from './schema.js';
export { initConfig, ensureAdminToken, CONFIG_TEMPLATE, type InitResult } from './init.js';

export interface BridgeConfig extends ResolvedConfigFile {
  /** the file it came from (null: defaults only) */
  file: string | null;
  database: { url?: string };
  server: ResolvedConfigFile['server'] & { publicUrl: string };
  /** env GHL_CLIENT_SECRET, when OAuth is configured */
  ghlClientSecret?: string;
  /** env GHL_BRIDGE_ADMIN_TOKEN, else the token file */
  adminToken?: string;
  /** the value of the env var `metrics.tokenEnv` names: GET /metrics then needs it as a bearer token (never logged) */
  metricsToken?: string;
  adminTokenFile: string;
  keyFile: string;
  dbDir: string;
}

export type LoadConfigResult = { ok: true; config: BridgeConfig } | { ok: false; problems: string[] };

export const DEFAULT_CONFIG_FILE = 'ghl-bridge.yaml';

/**
 * Reads the file (default `ghl-bridge.yaml` when it exists, else defaults) and the environment.
 * Problems come back together, each with its path: `server.port: expected a number`.
 */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv; overrides?: Record<string, unknown> } = {}): LoadConfigResult {
  const env = options.env ?? process.env;
  const file = options.file ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : null);
  let data: unknown = {};
  if (file) {
    if (!existsSync(file)) return { ok: false, problems: [`${file}: no such file (create one with \`ghl-bridge init\`)`] };
    const read = readConfigFile(file);
    if (!read.ok) return read;
    data = read.data;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, problems: [`${file}: the configuration must be a YAML mapping (lines of key: value), not ${Array.isArray(data) ? 'a list' : `a single ${typeof data}`}`] };
  }
  const merged = deepMerge(data as Record<string, unknown>, options.overrides ?? {});
  const parsed = configSchema.safeParse(merged);
  const problems = parsed.success ? [] : toRecipeIssues(parsed.error.issues, merged).map((i) => `${file ?? 'configuration'}: ${i.path || '(root)'}: ${i.message}`);
  const envUrl = env.DATABASE_URL?.trim();
  const envUrlProblem = envUrl ? postgresUrlProblem(envUrl) : null;
  if (envUrlProblem) problems.push(`env DATABASE_URL: ${envUrlProblem}`);
  const oauthConfigured = Boolean((merged.ghl as { oauth?: unknown } | undefined)?.oauth);
  if (oauthConfigured && !env.GHL_CLIENT_SECRET) problems.push('env GHL_CLIENT_SECRET: required when ghl.oauth is configured (your marketplace app\'s client secret)');
  const adminToken = env.GHL_BRIDGE_ADMIN_TOKEN?.trim();
  if (adminToken !== undefined && adminToken !== '' && adminToken.length < 24) problems.push('env GHL_BRIDGE_ADMIN_TOKEN: too short (at least 24 characters)');
  const metricsTokenEnv = parsed.success ? parsed.data.metrics.tokenEnv : undefined;
  const metricsToken = metricsTokenEnv ? env[metricsTokenEnv]?.trim() : undefined;
  // a guessable scrape token protects nothing; the message names the variable, never its value
  if (metricsTokenEnv && metricsToken && metricsToken.length < 16) problems.push(`env ${metricsTokenEnv} (metrics.tokenEnv): too short (at least 16 characters)`);
  if (!parsed.success || problems.length > 0) return { ok: false, problems: capLines(problems) };
  const c = parsed.data;
  // relative paths are read from the config file's folder (as `init` writes them), else the working directory
  const base = file ? dirname(resolve(file)) : process.cwd();
  const dataDir = resolve(base, c.dataDir);
  return {
    ok: true,
    config: {
      ...c,
      file,
      dataDir,
      recipes: { ...c.recipes, dir: resolve(base, c.recipes.dir) },
      database: { url: envUrl || c.database.url },
      server: { ...c.server, publicUrl: (c.server.publicUrl ?? `http://${c.server.host}:${c.server.port}`).replace(/\/$/, '') },
      ghlClientSecret: env.GHL_CLIENT_SECRET || undefined,
      adminToken: adminToken || undefined,
      metricsToken: metricsToken || undefined,
      adminTokenFile: join(dataDir, 'admin.token'),
      keyFile: join(dataDir, 'secret.key'),
      dbDir: join(dataDir, 'db'),
    },
  };
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b) ? deepMerge(b as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}
