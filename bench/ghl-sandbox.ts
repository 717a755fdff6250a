/**
 * The GHL sandbox as its own process (`ghl-bridge sandbox --port 0 --json`), and what its request
 * log says: every GHL call and every 429 the benchmarks report is counted here, by the server that
 * answered it, never by the client that made it.
 */
import { CLI, startChild, type Child } from './processes.js';

export interface SandboxInfo {
  url: string;
  pit: string;
  locationId: string;
  companyId: string;
}

export interface RequestEntry {
  at: string;
  method: string;
  path: string;
  operationId: string | null;
  status: number;
  locationId: string | null;
}

export interface Sandbox {
  process: Child;
  info: SandboxInfo;
  admin<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** Clears the request log and its counts (not the contacts). */
  clearLog(): Promise<void>;
  /** GHL API calls (admin `/_sandbox` requests excluded) by status, since the last clear. */
  calls(): Promise<CallCounts>;
  /** The newest entries of the request log (it keeps the last 5,000), oldest first. */
  entries(limit?: number): Promise<RequestEntry[]>;
  /** Locations with one PIT each (each PIT is its own rate-limit bucket). */
  seedLocations(prefix: string, n: number): Promise<Array<{ locationId: string; pit: string }>>;
  stop(): Promise<number | null>;
}

export interface CallCounts {
  total: number;
  /** 2xx answers to contact writes (create, update, upsert) */
  writes: number;
  /** 429 answers */
  tooMany: number;
  byOperation: Record<string, Record<string, number>>;
}

const WRITES = new Set(['create-contact', 'update-contact', 'upsert-contact']);
export const REQUEST_LOG_SIZE = 5000;

/**
 * @example
 * const sb = await startSandbox({ rateLimit: 'off' });          // or '100/10000', the real limit
 */
export async function startSandbox(o: { rateLimit: 'off' | `${number}/${number}` }): Promise<Sandbox> {
  const process = await startChild(`sandbox (rate limit ${o.rateLimit})`, [CLI, 'sandbox', '--port', '0', '--json', '--rate-limit', o.rateLimit]);
  const info = JSON.parse(process.line) as SandboxInfo;
  const admin = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${info.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`sandbox ${method} ${path} → ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    process,
    info,
    admin,
    async clearLog() {
      await admin('DELETE', '/_sandbox/requests');
    },
    async calls() {
      const stats = await admin<{ byRoute: Record<string, Record<string, number>> }>('GET', '/_sandbox/requests/stats');
      const counts: CallCounts = { total: 0, writes: 0, tooMany: 0, byOperation: {} };
      for (const [route, byStatus] of Object.entries(stats.byRoute)) {
        if (route.includes('/_sandbox')) continue;
        counts.byOperation[route] = byStatus;
        for (const [status, n] of Object.entries(byStatus)) {
          counts.total += n;
          if (status === '429') counts.tooMany += n;
          if (WRITES.has(route) && status.startsWith('2')) counts.writes += n;
        }
      }
      return counts;
    },
    async entries(limit = REQUEST_LOG_SIZE) {
      return (await admin<{ requests: RequestEntry[] }>('GET', `/_sandbox/requests?limit=${limit}`)).requests;
    },
    async seedLocations(prefix, n) {
      const ids = Array.from({ length: n }, (_, i) => `${prefix}${i}`);
      await admin('POST', '/_sandbox/seed', {
        locations: ids.map((id) => ({ id, companyId: info.companyId, name: `Bench ${id}` })),
        pits: ids.map((id) => ({ token: `pit-bench-${id}`, locationId: id, scopes: ['contacts.readonly', 'contacts.write'] })),
      });
      return ids.map((id) => ({ locationId: id, pit: `pit-bench-${id}` }));
    },
    stop: () => process.stop(),
  };
}
