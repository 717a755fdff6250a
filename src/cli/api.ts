/**
 * The admin API client the CLI's commands use: where the server is (`--url`, env
 * `GHL_BRIDGE_URL`, else the config's `server.publicUrl`), the admin token (`--token`, env
 * `GHL_BRIDGE_ADMIN_TOKEN`, else `<dataDir>/admin.token`), and HTTP failures turned into exit
 * codes with a hint: unreachable 3, token refused 4, bad input 2, anything else refused 1.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Command } from 'commander';
import { CliError, EXIT } from './errors.js';
import { configOrExit } from './settings.js';

export interface TargetFlags {
  config?: string;
  url?: string;
  token?: string;
}

export interface ApiTarget {
  url: string;
  token: string;
  /** where a person finds the right token (for the 401 hint) */
  tokenSource: string;
}

/**
 * Adds `--config`, `--url`, `--token` to a command that talks to the server (`--config-file`
 * where `--config` means something else, as in `connections add`).
 */
export function targetOptions(cmd: Command, o: { configFlag?: '--config' | '--config-file' } = {}): Command {
  return cmd
    .option(`${o.configFlag ?? '--config'} <file>`, 'configuration file (default ghl-bridge.yaml when present)')
    .option('--url <url>', 'server URL (default env GHL_BRIDGE_URL, else server.publicUrl of the config)')
    .option('--token <token>', 'admin token (default env GHL_BRIDGE_ADMIN_TOKEN, else <dataDir>/admin.token)');
}

/**
 * @example
 * const api = createApi(resolveTarget(opts));
 * const runs = await api.list('/runs', { status: 'dead' });
 */
export function resolveTarget(flags: TargetFlags, env: NodeJS.ProcessEnv = process.env): ApiTarget {
  const envUrl = env.GHL_BRIDGE_URL?.trim() || undefined;
  const envToken = env.GHL_BRIDGE_ADMIN_TOKEN?.trim() || undefined;
  // with both given, a broken or absent config file does not matter
  if ((flags.url ?? envUrl) && (flags.token ?? envToken)) return { url: clean(flags.url ?? envUrl!), token: (flags.token ?? envToken)!, tokenSource: flags.token ? '--token' : 'env GHL_BRIDGE_ADMIN_TOKEN' };
  // the client never uses the OAuth client secret: its absence is no reason to refuse
  const config = configOrExit({ file: flags.config, env: { ...env, GHL_CLIENT_SECRET: env.GHL_CLIENT_SECRET || 'not-needed-by-the-client' } });
  const url = clean(flags.url ?? envUrl ?? config.server.publicUrl);
  if (flags.token) return { url, token: flags.token, tokenSource: '--token' };
  if (config.adminToken) return { url, token: config.adminToken, tokenSource: 'env GHL_BRIDGE_ADMIN_TOKEN' };
  if (!existsSync(config.adminTokenFile)) {
    throw new CliError(EXIT.usage, `no admin token: ${config.adminTokenFile} does not exist. Run \`ghl-bridge init\` (or start the server once), set GHL_BRIDGE_ADMIN_TOKEN, or pass --token`);
  }
  return { url, token: readFileSync(config.adminTokenFile, 'utf8').trim(), tokenSource: config.adminTokenFile };
}

function clean(url: string): string {
  if (!/^https?:\/\/[^/]+/.test(url)) throw new CliError(EXIT.usage, `--url: expected http(s)://host:port, got "${url}"`);
  return url.replace(/\/+$/, '');
}

export interface ApiErrorBody {
  error?: { code?: string; message?: string; field?: string };
}

/** A refusal of the server (4xx/5xx) with its exit code already chosen. */
export class ApiRefused extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(status === 401 ? EXIT.auth : status === 400 ? EXIT.usage : EXIT.failed, message);
  }
}

export type Query = Record<string, string | number | undefined>;

/**
 * @example
 * const api = createApi({ url: 'http://127.0.0.1:8787', token, tokenSource: 'data/admin.token' });
 * await api.post('/recipes/app-signup/enable');
 */
export function createApi(target: ApiTarget, options: { fetch?: typeof fetch } = {}) {
  const doFetch = options.fetch ?? fetch;

  async function call<T>(method: string, path: string, o: { query?: Query; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined && v !== '') qs.set(k, String(v));
    const url = `${target.url}/api/v1${path}${qs.size > 0 ? `?${qs}` : ''}`;
    let res: Response;
    try {
      res = await doFetch(url, {
        method,
        headers: { authorization: `Bearer ${target.token}`, accept: 'application/json', ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: o.body !== undefined ? JSON.stringify(o.body) : undefined,
        signal: o.signal ?? AbortSignal.timeout(30_000),
      });
    } catch (e) {
      if ((e as Error).name === 'AbortError' && o.signal?.aborted) throw e;
      const cause = ((e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message) || 'no answer';
      throw new CliError(EXIT.unreachable, `cannot reach the ghl-bridge server at ${target.url} (${cause}): is \`ghl-bridge start\` running? Otherwise pass --url (or set GHL_BRIDGE_URL) to where it listens`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (a proxy's error page): the status alone tells
      json = null;
    }
    if (res.ok) return json as T;
    const err = (json as ApiErrorBody | null)?.error;
    // every answer of a ghl-bridge server that is not a success has { error: { code, message } }
    if (typeof err?.code !== 'string' && (res.status === 404 || res.status === 401 || res.status === 405)) {
      throw new CliError(EXIT.unreachable, `${target.url} answered ${res.status} to ${method} /api/v1${path}, without ghl-bridge's error format: this is not a ghl-bridge server (or not its admin API). Pass --url (or set GHL_BRIDGE_URL) to where \`ghl-bridge start\` listens`);
    }
    if (res.status === 401) {
      const where = target.tokenSource.startsWith('env') || target.tokenSource === '--token' ? `the one from ${target.tokenSource} is not the server's; see <dataDir>/admin.token of the server` : `see ${target.tokenSource}`;
      throw new ApiRefused(401, err?.code ?? 'unauthorized', `the admin token is wrong: ${where} (or set GHL_BRIDGE_ADMIN_TOKEN, or pass --token)`);
    }
    const message = err?.message ?? `${res.status} ${res.statusText}`;
    // "no recipe x (did you mean y?)" says it all: the request line would only hide it
    if (res.status === 404 && err?.code === 'not-found' && /^no recipe /.test(message)) throw new ApiRefused(404, err.code, message);
    throw new ApiRefused(res.status, err?.code ?? 'error', `${method} ${path}: ${message}`);
  }

  return {
    target,
    get: <T>(path: string, query?: Query) => call<T>('GET', path, { query }),
    post: <T>(path: string, body?: unknown, signal?: AbortSignal) => call<T>('POST', path, { body, signal }),
    delete: <T>(path: string) => call<T>('DELETE', path),
    /** Every item of a list, following `next`, up to `max` items. */
    async list<T>(path: string, query: Query = {}, max = Number.POSITIVE_INFINITY): Promise<T[]> {
      const items: T[] = [];
      let cursor: string | undefined;
      do {
        const page = await call<{ items: T[]; next?: string }>('GET', path, { query: { ...query, limit: Math.min(500, Math.max(1, max - items.length)), cursor } });
        items.push(...page.items);
        cursor = page.next;
      } while (cursor && items.length < max);
      return items.slice(0, max);
    },
  };
}

export type Api = ReturnType<typeof createApi>;

/** A command's flags → an API client. */
export function apiFrom(flags: TargetFlags): Api {
  return createApi(resolveTarget(flags));
}
