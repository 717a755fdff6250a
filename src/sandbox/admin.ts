import type { SandboxCore } from './core.js';
import { ApiError, apiError, unprocessable } from './errors.js';
import { FaultRuleError, parseFaultRule, type FaultInput } from './faults.js';
import { newSecret } from './ids.js';
import { DUPLICATE_CHECKS, emptyState, type DuplicateCheck } from './model.js';
import { Router } from './router.js';
import { applySeed, SeedError, type SeedFile } from './seed.js';
import { publicKeyForms } from './webhooks.js';

/**
 * `/_sandbox/…`: seed, reset, inspect, inject faults, revoke tokens, change settings. Not part of
 * HighLevel's API; bind the sandbox to loopback (the default) since these need no token.
 */
export interface AdminRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown> | undefined;
}

type AdminHandler = (core: SandboxCore, req: AdminRequest, params: Record<string, string>, env: AdminEnv) => unknown;

export interface AdminEnv {
  /** The seed the sandbox started from, used by reset. */
  initialSeed: SeedFile;
  info: () => Record<string, unknown>;
}

function body<T = Record<string, unknown>>(req: AdminRequest): T {
  return (req.body ?? {}) as T;
}

/** Applies a seed all or nothing: on a bad seed the state is as it was before. */
function seeded(core: SandboxCore, seed: SeedFile): void {
  const before = structuredClone(core.store.state);
  try {
    applySeed(core, seed);
  } catch (error) {
    core.store.load(before);
    if (error instanceof SeedError) throw unprocessable([error.message]);
    // a seed of the wrong shape (`{"companies": 5}`, `{"contacts": [null]}`) is bad input, not a crash
    if (error instanceof TypeError) throw unprocessable([`seed is malformed: ${error.message}`]);
    throw error;
  }
}

const handlers: Array<[string, string, AdminHandler]> = [
  ['GET', '/_sandbox', (_c, _r, _p, env) => env.info()],
  ['GET', '/_sandbox/health', () => ({ ok: true })],
  ['GET', '/_sandbox/state', (core) => core.store.state],
  [
    'POST', '/_sandbox/reset', (core, req, _p, env) => {
      const seed = req.body && Object.keys(req.body).length > 0 ? body<SeedFile & { empty?: boolean }>(req) : env.initialSeed;
      const before = core.store.state;
      core.store.load({ ...emptyState(), webhookKeys: before.webhookKeys });
      try {
        if (!(seed as { empty?: boolean }).empty) seeded(core, seed);
      } catch (error) {
        core.store.load(before); // a bad seed leaves the sandbox as it was
        throw error;
      }
      core.limiter.reset();
      core.log.clear();
      core.store.touch();
      return env.info();
    },
  ],
  ['POST', '/_sandbox/seed', (core, req, _p, env) => (seeded(core, body<SeedFile>(req)), env.info())],
  [
    'GET', '/_sandbox/locations/{locationId}/contacts', (core, _r, p) => {
      if (!core.store.state.locations[p.locationId!]) throw apiError(404, `No location ${p.locationId}`);
      return { contacts: [...core.store.contactsOf(p.locationId!)], total: core.store.countContacts(p.locationId!) };
    },
  ],
  [
    'PUT', '/_sandbox/locations/{locationId}/settings', (core, req, p) => {
      const location = core.store.state.locations[p.locationId!];
      if (!location) throw apiError(404, `No location ${p.locationId}`);
      const { duplicateCheck, ...rest } = body(req);
      if (Object.keys(rest).length > 0) throw unprocessable(Object.keys(rest).map((k) => `property ${k} should not exist`));
      if (!DUPLICATE_CHECKS.includes(duplicateCheck as DuplicateCheck)) throw unprocessable([`duplicateCheck must be one of the following values: ${DUPLICATE_CHECKS.join(', ')}`]);
      location.duplicateCheck = duplicateCheck as DuplicateCheck;
      core.store.touch();
      return { location };
    },
  ],
  ['GET', '/_sandbox/requests', (core, req) => ({ requests: core.log.list(Number(req.query.get('limit') ?? '') || undefined), total: core.log.total })],
  ['GET', '/_sandbox/requests/stats', (core) => core.log.stats()],
  ['DELETE', '/_sandbox/requests', (core) => (core.log.clear(), { ok: true })],
  ['GET', '/_sandbox/webhooks/public-key', (core) => publicKeyForms(core.webhooks.keys())],
  ['GET', '/_sandbox/webhooks/deliveries', (core) => ({ deliveries: core.webhooks.deliveries })],
  [
    'PUT', '/_sandbox/apps/{clientId}', (core, req, p) => {
      const app = Object.values(core.store.state.apps).find((a) => a.clientId === p.clientId || a.id === p.clientId);
      if (!app) throw apiError(404, `No app ${p.clientId}`);
      const b = body(req);
      const problems: string[] = [];
      for (const key of Object.keys(b)) if (!['webhookUrl', 'redirectUris', 'scopes'].includes(key)) problems.push(`property ${key} should not exist`);
      if ('webhookUrl' in b && b.webhookUrl !== null && typeof b.webhookUrl !== 'string') problems.push('webhookUrl must be a string or null');
      for (const k of ['redirectUris', 'scopes'] as const) if (k in b && !(Array.isArray(b[k]) && (b[k] as unknown[]).every((v) => typeof v === 'string'))) problems.push(`${k} must be an array of strings`);
      if (problems.length > 0) throw unprocessable(problems);
      Object.assign(app, b);
      core.store.touch();
      return { app: { ...app, clientSecret: undefined } };
    },
  ],
  [
    'POST', '/_sandbox/uninstall', (core, req) => {
      const b = body<{ clientId?: unknown; locationId?: unknown; companyId?: unknown }>(req);
      const app = Object.values(core.store.state.apps).find((a) => a.clientId === b.clientId || a.id === b.clientId);
      if (!app) throw unprocessable(['clientId must name an app of the sandbox']);
      const removed = uninstall(core, app.id, typeof b.locationId === 'string' ? b.locationId : null, typeof b.companyId === 'string' ? b.companyId : null);
      if (removed === 0) throw apiError(404, 'The app is not installed there');
      return { uninstalled: removed };
    },
  ],
  ['GET', '/_sandbox/faults', (core) => ({ faults: core.faults.list() })],
  [
    'POST', '/_sandbox/faults', (core, req) => {
      try {
        return { fault: core.faults.add(parseFaultRule(body<FaultInput>(req))) };
      } catch (error) {
        if (error instanceof FaultRuleError) throw unprocessable(error.problems);
        throw error;
      }
    },
  ],
  ['DELETE', '/_sandbox/faults', (core) => (core.faults.clear(), { ok: true })],
  [
    'DELETE', '/_sandbox/faults/{id}', (core, _r, p) => {
      if (!core.faults.remove(p.id!)) throw apiError(404, `No fault ${p.id}`);
      return { ok: true };
    },
  ],
  [
    'POST', '/_sandbox/tokens/revoke', (core, req) => {
      const token = String(body(req).token ?? '');
      const access = core.store.state.tokens[token];
      const refresh = core.store.state.refreshTokens[token];
      if (!access && !refresh) throw apiError(404, 'No such token');
      if (access) access.revoked = true;
      if (refresh) refresh.revoked = true;
      core.store.touch();
      return { ok: true };
    },
  ],
  [
    'POST', '/_sandbox/tokens/expire-all', (core) => {
      let expired = 0;
      for (const t of Object.values(core.store.state.tokens)) {
        if (t.kind === 'access' && (t.expiresAt ?? 0) > core.now()) {
          t.expiresAt = core.now() - 1;
          expired++;
        }
      }
      core.store.touch();
      return { expired };
    },
  ],
  [
    'POST', '/_sandbox/pits', (core, req) => {
      const b = body<{ locationId?: string; companyId?: string; scopes?: unknown }>(req);
      if (!Array.isArray(b.scopes) || !b.scopes.every((s) => typeof s === 'string')) throw unprocessable(['scopes must be an array of strings']);
      const token = newSecret('pit-');
      seeded(core, { pits: [{ token, locationId: b.locationId, companyId: b.companyId, scopes: b.scopes as string[] }] });
      return { token };
    },
  ],
  [
    'PATCH', '/_sandbox/config', (core, req) => {
      const b = body<{ rateLimit?: Record<string, unknown>; accessTokenTtlSeconds?: unknown; webhooks?: Record<string, unknown> }>(req);
      const problems: string[] = [];
      const isObject = (v: unknown) => v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v));
      if (!isObject(b.rateLimit) || !isObject(b.webhooks)) throw unprocessable(['rateLimit and webhooks must be objects']);
      const rl = b.rateLimit ?? {};
      for (const k of Object.keys(rl)) {
        if (k === 'enabled' ? typeof rl[k] !== 'boolean' : !(Number.isInteger(rl[k]) && (rl[k] as number) > 0)) problems.push(`rateLimit.${k} is invalid`);
        if (!['enabled', 'max', 'intervalMs', 'daily'].includes(k)) problems.push(`property rateLimit.${k} should not exist`);
      }
      if (b.accessTokenTtlSeconds !== undefined && !(Number.isInteger(b.accessTokenTtlSeconds) && (b.accessTokenTtlSeconds as number) > 0)) problems.push('accessTokenTtlSeconds must be a positive integer');
      const wh = b.webhooks ?? {};
      if ('legacySignature' in wh && typeof wh.legacySignature !== 'boolean') problems.push('webhooks.legacySignature must be a boolean value');
      if ('retryDelaysMs' in wh && !(Array.isArray(wh.retryDelaysMs) && wh.retryDelaysMs.every((n) => Number.isInteger(n) && n >= 0))) problems.push('webhooks.retryDelaysMs must be an array of integers');
      if (problems.length > 0) throw unprocessable(problems);
      Object.assign(core.config.rateLimit, rl);
      if (typeof b.accessTokenTtlSeconds === 'number') core.config.accessTokenTtlSeconds = b.accessTokenTtlSeconds;
      Object.assign(core.config.webhooks, wh);
      return { config: core.config };
    },
  ],
];

/**
 * Removes an app's installation on a location (or agency-wide), revokes the app's tokens there and
 * sends UNINSTALL to the app, as GHL does when a location uninstalls (ghl-api.md §7.1).
 */
function uninstall(core: SandboxCore, appId: string, locationId: string | null, companyId: string | null): number {
  const state = core.store.state;
  const gone = state.installations.filter((i) => i.appId === appId && (locationId ? i.locationId === locationId : i.locationId === null && i.companyId === companyId));
  if (gone.length === 0) return 0;
  state.installations = state.installations.filter((i) => !gone.includes(i));
  for (const record of [...Object.values(state.tokens), ...Object.values(state.refreshTokens)]) {
    if (record.appId === appId && (locationId ? record.locationId === locationId : record.companyId === companyId)) record.revoked = true;
  }
  core.store.touch();
  const inst = gone[0]!;
  core.emit({
    type: 'UNINSTALL',
    locationId: inst.locationId,
    companyId: inst.companyId,
    scope: null,
    appId,
    payload: { type: 'UNINSTALL', appId, ...(inst.locationId ? { locationId: inst.locationId } : { companyId: inst.companyId }) },
  });
  return gone.length;
}

const router = new Router(handlers.map(([method, path, value]) => ({ method, path, value })));

export function handleAdmin(core: SandboxCore, req: AdminRequest, env: AdminEnv): { status: number; body: unknown } {
  const match = router.match(req.method, req.path);
  if (match.kind === 'not-found') throw apiError(404, `Cannot ${req.method} ${req.path}`);
  if (match.kind === 'method-not-allowed') throw new ApiError(405, { statusCode: 405, message: `Cannot ${req.method} ${req.path}`, error: 'Method Not Allowed' }, { allow: match.allowed.join(', ') });
  return { status: 200, body: match.value(core, req, match.params, env) };
}
