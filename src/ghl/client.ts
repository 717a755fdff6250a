import { agencyLocationTokens, auth, oauthTokens, staticToken, type TokenProvider, type TokenStore } from './auth/index.js';
import { createCall, type Call } from './core/call.js';
import { fetchTransport } from './core/transport.js';
import { compose, type Layer, type Send } from './core/types.js';
import { governor, MemoryRateBudgetStore, type RateBudgetStore } from './governor/index.js';
import { headers } from './layers/headers.js';
import { observe, type Observer } from './layers/observe.js';
import { retry, type RetryOptions } from './layers/retry.js';
import type { Sleep } from './layers/wait.js';
import { createOAuthClient, type OAuthClient } from './oauth/index.js';
import { createOperations, type GhlOperations } from './operations/index.js';

export const GHL_BASE_URL = 'https://services.leadconnectorhq.com';

/** How the client authenticates. */
export type ClientAuth =
  /** A Private Integration Token (location or agency); never refreshed. */
  | { privateIntegrationToken: string }
  /** Any `TokenProvider` of your own. */
  | { tokenProvider: TokenProvider }
  /** An OAuth location connection kept in a `TokenStore` under `key` (needs `oauth`). */
  | { oauthTokens: { store: TokenStore; key: string; refreshSkewMs?: number } }
  /** An agency connection that mints location tokens per request location (needs `oauth`). */
  | { agencyTokens: { store: TokenStore; agencyKey: string; locationKey?: (locationId: string) => string } };

export interface GhlClientOptions {
  auth: ClientAuth;
  /** Marketplace app credentials: enables `client.oauth` and the OAuth token providers. */
  oauth?: { clientId: string; clientSecret: string; authorizeBaseUrl?: string; whiteLabelBaseUrl?: string };
  /** Default `https://services.leadconnectorhq.com`; point it at the sandbox for tests. */
  baseUrl?: string;
  /** Location used when a call names none. */
  locationId?: string;
  /** `Version` header (default 2021-07-28). */
  version?: string;
  userAgent?: string;
  /** Per-request timeout in ms (default 30 000); each call may override it. */
  timeoutMs?: number;
  /** Shared budget store (default: in-memory, per client); `false` turns the governor off. */
  rateBudget?: RateBudgetStore | false;
  /**
   * How the governor waits for budget (default: sleeps). The engine passes one that gives a long
   * wait back to its queue instead of holding a worker.
   */
  rateWait?: Sleep;
  /** Retry policy; `false` turns retries off. */
  retry?: RetryOptions | false;
  /** Request/response events, secrets redacted; sees every attempt. */
  observer?: Observer;
  fetch?: typeof fetch;
}

export interface GhlClient extends GhlOperations {
  /** OAuth helpers (present when `oauth` credentials were given). */
  oauth: OAuthClient | undefined;
  /** The raw typed-error call, for endpoints outside the contacts module. */
  call: Call;
  /** The layered send, for tests and tooling. */
  send: Send;
}

/**
 * A HighLevel Contacts API v2 client: a tiny request core with auth, rate governor, retry and
 * observation as layers around one request hook (octokit-style), and typed operations on top.
 * Layer order, outermost first: retry → auth → governor → headers → observe → fetch.
 *
 * @example
 * const ghl = createGhlClient({ auth: { privateIntegrationToken: process.env.GHL_PIT! }, locationId: 've9EPM428h8vShlRW1KT' });
 * const { contact } = await ghl.contacts.upsert({ email: 'ada@example.com', firstName: 'Ada' });
 * for await (const c of ghl.contacts.searchAll({ filters: [{ field: 'tags', operator: 'eq', value: 'vip' }] })) console.log(c.id);
 */
export function createGhlClient(options: GhlClientOptions): GhlClient {
  const transport = fetchTransport({ baseUrl: options.baseUrl ?? GHL_BASE_URL, timeoutMs: options.timeoutMs, fetch: options.fetch });
  const inner: Layer[] = [headers({ version: options.version, userAgent: options.userAgent }), ...(options.observer ? [observe(options.observer)] : [])];
  const retryLayer: Layer[] = options.retry === false ? [] : [retry(options.retry ?? {})];
  // The token endpoint goes without the auth layer and the governor (it is not counted per location).
  const oauth = options.oauth ? createOAuthClient({ ...options.oauth, send: compose([...retryLayer, ...inner], transport) }) : undefined;
  const provider = tokenProvider(options.auth, oauth);
  const budget = options.rateBudget === false ? [] : [governor({ store: options.rateBudget ?? new MemoryRateBudgetStore(), ...(options.rateWait ? { sleep: options.rateWait } : {}) })];
  const send = compose([...retryLayer, auth(provider), ...budget, ...inner], transport);
  const call = createCall(send);
  return { ...createOperations(call, { locationId: options.locationId }), oauth, call, send };
}

function tokenProvider(a: ClientAuth, oauth: OAuthClient | undefined): TokenProvider {
  if ('privateIntegrationToken' in a) return staticToken(a.privateIntegrationToken);
  if ('tokenProvider' in a) return a.tokenProvider;
  if (!oauth) throw new TypeError('OAuth token providers need the `oauth` option (clientId and clientSecret)');
  if ('oauthTokens' in a) return oauthTokens({ oauth, ...a.oauthTokens });
  return agencyLocationTokens({ oauth, ...a.agencyTokens });
}
