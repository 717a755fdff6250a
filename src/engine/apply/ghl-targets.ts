import { createGhlClient, MemoryRateBudgetStore, type GhlClient, type RateBudgetStore, type RetryOptions } from '../../ghl/index.js';
import type { Observer } from '../../ghl/layers/observe.js';
import { createSqlTokenStore } from '../auth/index.js';
import type { ConnectionRepository, Keyring } from '../connections/index.js';
import type { Database } from '../db/types.js';
import { createSqlRateBudgetStore } from '../governor/index.js';
import { rescheduleLongWaits, type GhlTarget, type GhlTargets } from './target.js';

export interface GhlTargetsOptions {
  db: Database;
  connections: ConnectionRepository;
  keyring: Keyring;
  /** default https://services.leadconnectorhq.com (the sandbox URL in tests and the demo) */
  baseUrl?: string;
  /** Marketplace app credentials for OAuth connections. */
  oauth?: { clientId: string; clientSecret: string };
  retry?: RetryOptions;
  /** Longest wait for rate budget inside a run; longer waits re-enqueue the run (default 1000 ms). */
  maxInlineWaitMs?: number;
  /** Sees every GHL request and answer (metrics); secrets are redacted by the client. */
  observer?: Observer;
  /** Per-request timeout of the GHL clients in ms (default 30 000). */
  timeoutMs?: number;
}

/**
 * GHL clients for the engine, built from stored connections (`ghl-location`): a Private
 * Integration Token (`secrets.pit`) or OAuth tokens in the SQL token store (key
 * `connection:<id>`), sharing one rate budget per location: in memory on the embedded database
 * (one process by construction), in SQL across every worker process on a server. The budget is
 * spent in bursts up to the window's limit, not paced, so a backlog drains as fast as GHL allows.
 * A client is kept per connection while the stored connection is unchanged (the run's claim reads
 * its version; otherwise one small query does), so a PIT replaced or a location re-authorized in
 * another process is picked up.
 *
 * @example
 * const ghl = ghlTargets({ db, connections, keyring, oauth: { clientId, clientSecret } });
 * const engine = await createEngine({ db, ghl });
 */
export function ghlTargets(options: GhlTargetsOptions): GhlTargets & { forget(connectionId: string): void; budget: RateBudgetStore } {
  const budget: RateBudgetStore = options.db.kind === 'pglite' ? new MemoryRateBudgetStore({ pace: false }) : createSqlRateBudgetStore({ db: options.db, pace: false });
  const tokens = createSqlTokenStore({ db: options.db, keyring: options.keyring });
  const cache = new Map<string, Promise<GhlTarget>>();
  const build = async (connectionId: string): Promise<GhlTarget> => {
    const connection = await options.connections.get(connectionId);
    if (!connection) throw new Error(`no connection ${connectionId}`);
    if (connection.app !== 'ghl-location') throw new Error(`connection ${connectionId} is ${connection.app}, not a GHL location`);
    const locationId = String(connection.config.locationId ?? '');
    if (!locationId) throw new Error(`connection ${connectionId} has no config.locationId`);
    const pit = connection.secrets.get('pit');
    const client: GhlClient = createGhlClient({
      baseUrl: options.baseUrl,
      locationId,
      rateBudget: budget,
      rateWait: rescheduleLongWaits(options.maxInlineWaitMs ?? 1000),
      retry: options.retry,
      observer: options.observer,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(pit
        ? { auth: { privateIntegrationToken: pit } }
        : { auth: { oauthTokens: { store: tokens, key: `connection:${connectionId}` } }, oauth: options.oauth }),
    });
    return { client, locationId };
  };
  const versions = new Map<string, string>();
  /** A connection changed by another process (a new PIT, re-authorized) is rebuilt, not served from the cache. */
  const version = async (connectionId: string) => {
    const { rows } = await options.db.query<{ v: string }>(`select updated_at::text || ':' || coalesce(key_id, '') as v from connections where id = $1`, [connectionId]);
    return rows[0]?.v ?? '';
  };
  const targets = async (connectionId: string, known?: string | null): Promise<GhlTarget> => {
    const current = known ?? (await version(connectionId));
    if (versions.get(connectionId) !== current) {
      cache.delete(connectionId);
      versions.set(connectionId, current);
    }
    let target = cache.get(connectionId);
    if (!target) {
      target = build(connectionId);
      cache.set(connectionId, target);
      target.catch(() => cache.delete(connectionId));
    }
    return target;
  };
  /** Drops a cached client (its connection changed: new token kind, new location). */
  return Object.assign(targets, {
    budget,
    forget: (connectionId: string) => {
      cache.delete(connectionId);
      versions.delete(connectionId);
    },
  });
}
